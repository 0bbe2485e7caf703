// Fails when a source file is over 400 lines without saying why at its top: a comment within its
// first 15 lines that starts "Over 400 lines because". Sources: every package's src/ and the web app.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const limit = 400;
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.tsx', '*.mts'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => /(^|\/)src\//.test(file) && !file.includes('node_modules/'));
const offenders = [];
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.length <= limit) continue;
  if (!lines.slice(0, 15).some((line) => /Over 400 lines because/.test(line)))
    offenders.push(`${file}: ${lines.length} lines`);
}
if (offenders.length > 0) {
  console.error(
    `source files over ${limit} lines without "Over 400 lines because …" at their top:\n  ${offenders.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`source sizes: ${files.length} files, none over ${limit} lines without a reason`);
