import { useEffect, useState } from 'react';
import { auth, call } from '../api';
import type { CannedResponseRecord } from './api';
import { message } from './format';

const blank = { id: '', title: '', text: '' };

/**
 * The canned responses agents insert with `/` in the reply box: admins write them here (id, title,
 * text with {{customer.name}}, {{customer.firstName}}, {{customer.email}}, {{agent.name}}); others read.
 */
export function CannedResponses() {
  const [responses, setResponses] = useState<CannedResponseRecord[] | null>(null);
  const [form, setForm] = useState(blank);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const admin = auth.current()?.roles.includes('admin') ?? false;
  const load = () =>
    call<{ responses: CannedResponseRecord[] }>('GET', '/canned-responses').then(
      (r) => setResponses(r.responses),
      (e: unknown) => setError(message(e)),
    );
  useEffect(() => {
    void load();
  }, []);
  const save = async () => {
    setError(null);
    setSaved(null);
    try {
      await call('PUT', `/canned-responses/${encodeURIComponent(form.id.trim())}`, {
        title: form.title,
        text: form.text,
      });
      setSaved(`Saved ${form.id.trim()}`);
      setForm(blank);
      await load();
    } catch (e) {
      setError(message(e));
    }
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await call('DELETE', `/canned-responses/${encodeURIComponent(id)}`);
      await load();
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <section className="ib-canned-admin" aria-label="Canned responses">
      <h2>Canned responses</h2>
      <p className="muted">
        Agents type <kbd>/</kbd> in the reply box to insert one. {'{{customer.name}}'}, {'{{customer.firstName}}'},{' '}
        {'{{customer.email}}'} and {'{{agent.name}}'} are filled in.{admin ? '' : ' Admins edit them.'}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {saved && <p className="good">{saved}</p>}
      {admin && (
        <form
          className="ib-kb-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="ib-row">
            <input
              aria-label="Canned response id"
              placeholder="id (e.g. greeting)"
              value={form.id}
              onChange={(e) => setForm({ ...form, id: e.target.value })}
            />
            <input
              aria-label="Canned response title"
              placeholder="title"
              value={form.title}
              onChange={(e) => setForm({ ...form, title: e.target.value })}
            />
          </div>
          <textarea
            aria-label="Canned response text"
            rows={3}
            placeholder="Hi {{customer.firstName}}, …"
            value={form.text}
            onChange={(e) => setForm({ ...form, text: e.target.value })}
          />
          <button type="submit" className="primary">
            Save response
          </button>
        </form>
      )}
      <ul className="ib-kb-list">
        {(responses ?? []).map((response) => (
          <li key={response.id}>
            <strong>{response.title}</strong> <span className="muted">/{response.id}</span>
            <div>{response.text}</div>
            {admin && (
              <div className="ib-row">
                <button type="button" onClick={() => setForm(response)}>
                  Edit
                </button>
                <button type="button" onClick={() => void remove(response.id)}>
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
