export const shortcuts: [string, string][] = [
  ['Ctrl/⌘ + Z', 'undo'],
  ['Ctrl/⌘ + Shift + Z, Ctrl/⌘ + Y', 'redo'],
  ['Ctrl/⌘ + C', 'copy the selected nodes (and the edges between them)'],
  ['Ctrl/⌘ + V', 'paste (new ids, shifted)'],
  ['Ctrl/⌘ + D', 'duplicate the selection'],
  ['Ctrl/⌘ + A', 'select every node'],
  ['Delete, Backspace', 'delete the selection'],
  ['Ctrl/⌘ + click, Shift + drag', 'add to the selection, select a box'],
  ['Ctrl/⌘ + Shift + L', 'auto-layout'],
  ['Ctrl/⌘ + S', 'save the draft'],
  ['Escape', 'clear the selection, close this help'],
  ['?', 'this help'],
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label="keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <h2>Keyboard shortcuts</h2>
          <button type="button" onClick={onClose} aria-label="close">
            ×
          </button>
        </header>
        <table>
          <tbody>
            {shortcuts.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Shortcuts do not fire while you type in a field (there, Ctrl/⌘ + Z undoes your typing).</p>
      </div>
    </div>
  );
}
