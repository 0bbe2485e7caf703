/** The keyboard shortcuts, as `?` lists them. */
export const shortcuts: readonly { keys: string; what: string }[] = [
  { keys: 'j / k', what: 'next / previous conversation in the list' },
  { keys: 'c', what: 'claim the ticket' },
  { keys: 'e', what: 'resolve the ticket' },
  { keys: 'r', what: 'write in the reply box' },
  { keys: 'Ctrl/⌘ + Enter', what: 'send the reply (or add the note)' },
  { keys: '/', what: 'in an empty reply box: canned responses' },
  { keys: 'Esc', what: 'leave the reply box, close this list' },
  { keys: '?', what: 'show or hide this list' },
];

export function Shortcuts({ onClose }: { onClose: () => void }) {
  return (
    <div className="ib-modal-back" onClick={onClose}>
      <div
        className="ib-modal"
        role="dialog"
        aria-label="Keyboard shortcuts"
        aria-modal="true"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <table className="ib-shortcuts">
          <tbody>
            {shortcuts.map((shortcut) => (
              <tr key={shortcut.keys}>
                <td>
                  <kbd>{shortcut.keys}</kbd>
                </td>
                <td>{shortcut.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </div>
  );
}
