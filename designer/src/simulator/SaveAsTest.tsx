import { toTestFile, type SimSession } from './session';

function download(name: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'simulated';

/** Downloads the simulated conversation as a `.test.json` that `baton test` replays. */
export function SaveAsTest({
  session,
  testName,
  onTestName,
}: {
  session: SimSession;
  testName: string;
  onTestName: (name: string) => void;
}) {
  const pending = session.pending ?? null;
  return (
    <>
      <h3>Save as test</h3>
      <div className="row">
        <input
          type="text"
          aria-label="test name"
          value={testName}
          onChange={(e) => onTestName(e.target.value)}
          style={{ flex: 1, width: 'auto' }}
        />
        <button
          type="button"
          disabled={!!pending}
          data-testid="sim-save-test"
          onClick={() =>
            download(`${slug(testName)}.test.json`, `${JSON.stringify(toTestFile(session, testName), null, 2)}\n`)
          }
        >
          Download .test.json
        </button>
      </div>
      <p className="hint">
        Put it in the journey's <code>tests/</code> folder; <code>baton test</code> replays it.
      </p>
    </>
  );
}
