import type { Diagnostic } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { activityCatalog, diagnosticLine, displayPath, findFiles, loadJson, paint, type Io } from './io';

export type ValidateFormat = 'text' | 'json' | 'github';

export interface LocatedDiagnostic extends Diagnostic {
  line?: number;
  column?: number;
}

export interface FileReport {
  file: string;
  valid: boolean;
  diagnostics: LocatedDiagnostic[];
}

/** Journey files in folders: `journey.json` and `*.journey.json`. */
export function isJourneyFileName(name: string): boolean {
  return name === 'journey.json' || name.endsWith('.journey.json');
}

export function validateFile(file: string, cwd: string): FileReport {
  const shown = displayPath(file, cwd);
  const loaded = loadJson(file, cwd);
  if (!loaded.ok) return { file: shown, valid: false, diagnostics: [loaded.problem] };
  const result = compileJourney(loaded.source.value, { activities: activityCatalog() });
  const diagnostics = result.diagnostics.map((diagnostic) => {
    const position = loaded.source.locate(diagnostic.path);
    return { ...diagnostic, line: position.line, column: position.column };
  });
  return { file: shown, valid: result.ok && !diagnostics.some((d) => d.severity === 'error'), diagnostics };
}

/** GitHub workflow command escaping (https://docs.github.com/actions/reference/workflow-commands-for-github-actions). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotation(file: string, diagnostic: LocatedDiagnostic): string {
  const where = diagnostic.nodeId
    ? `node ${diagnostic.nodeId}`
    : diagnostic.edgeId
      ? `edge ${diagnostic.edgeId}`
      : 'journey';
  const properties = [
    `file=${escapeProperty(file)}`,
    ...(diagnostic.line !== undefined ? [`line=${diagnostic.line}`] : []),
    ...(diagnostic.column !== undefined ? [`col=${diagnostic.column}`] : []),
    `title=${escapeProperty(`baton validate: ${where} (${diagnostic.code})`)}`,
  ];
  return `::${diagnostic.severity} ${properties.join(',')}::${escapeData(`${diagnostic.path || '/'}: ${diagnostic.message}`)}`;
}

/** `baton validate FILE…`: exit 0 when every file is valid (warnings do not fail), 1 otherwise. */
export function runValidate(files: readonly string[], options: { format?: ValidateFormat }, io: Io): number {
  const format = options.format ?? 'text';
  const paths = findFiles(files, io.cwd, isJourneyFileName);
  const reports = paths.map((file) => validateFile(file, io.cwd));
  if (format === 'json') {
    io.out(JSON.stringify(reports, null, 2));
  } else {
    for (const report of reports) {
      for (const diagnostic of report.diagnostics) {
        io.out(
          format === 'github' ? githubAnnotation(report.file, diagnostic) : diagnosticLine(report.file, diagnostic),
        );
      }
    }
    const invalid = reports.filter((r) => !r.valid).length;
    const errors = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length, 0);
    const warnings = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning').length, 0);
    const counts = [
      errors && `${errors} error${errors === 1 ? '' : 's'}`,
      warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`,
    ]
      .filter(Boolean)
      .join(', ');
    const summary = invalid
      ? paint(
          io,
          'red',
          `✗ ${invalid} of ${reports.length} journey file${reports.length === 1 ? '' : 's'} invalid (${counts})`,
        )
      : paint(
          io,
          'green',
          `✓ ${reports.length} journey file${reports.length === 1 ? '' : 's'} valid${counts ? ` (${counts})` : ''}`,
        );
    io.err(summary);
  }
  return reports.every((r) => r.valid) ? 0 : 1;
}
