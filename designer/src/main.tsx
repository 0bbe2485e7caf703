import './csp';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { AuthGate } from './auth/AuthGate';
import { Editor } from './Editor';
import { JourneyList } from './versions/JourneyList';
import { Inbox } from './inbox/Inbox';
import { KnowledgeBase } from './inbox/KnowledgeBase';
import { Dashboard } from './dashboard/Dashboard';
import { Settings } from './settings/ApiKeys';

function useHash(): string {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function App() {
  const hash = useHash();
  const match = /^#\/journeys\/([^/?]+)/.exec(hash);
  if (match) return <Editor key={match[1]} id={decodeURIComponent(match[1]!)} />;
  if (/^#\/inbox\b/.test(hash)) return <Inbox />;
  if (/^#\/kb\b/.test(hash)) return <KnowledgeBase />;
  if (/^#\/dashboard\b/.test(hash)) return <Dashboard />;
  if (/^#\/settings\b/.test(hash)) return <Settings />;
  return <JourneyList />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthGate>
      <App />
    </AuthGate>
  </StrictMode>,
);
