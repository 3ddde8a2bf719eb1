// "Adapt to the logs": what the client's logged sessions change in the weeks
// ahead (POST /programs/{id}/adapt), previewed first, then saved as a version.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { navigate } from '../router';
import type { AdaptChange, Adapted, Client, Program } from '../types';
import { ErrorBox, Source, formatDate, useAction } from './ui';

const KIND_TEXT: Record<AdaptChange['kind'], string> = {
  progressed: 'A step ahead',
  held: 'Held',
  regressed: 'Eased',
  repeated_week: 'Week repeated',
};

export function AdaptPanel({ program, client }: { program: Program; client: Client }) {
  const [preview, setPreview] = useState<Adapted | null>(null);
  const { busy, error, run } = useAction();
  const send = async (dryRun: boolean) => {
    await run(async () => {
      const r = await api.post<Adapted>(`/api/v1/programs/${program.id}/adapt`, { dry_run: dryRun });
      if (dryRun || !r.id || r.id === program.id) setPreview(r);
      else navigate(`/clients/${client.id}/program/${r.id}`);
    });
  };
  return (
    <section class="adapt-panel no-print" aria-labelledby="adapt-title" data-testid="adapt-panel">
      <h3 id="adapt-title">Adapt to the client's logs</h3>
      <p class="muted small">
        The weeks from today on, by the logged effort, pain and completeness: a step ahead, held, eased, or a missed week repeated.
        Past weeks never change.
      </p>
      {!preview && (
        <button type="button" class="btn secondary" disabled={busy} onClick={() => send(true)} data-testid="adapt-preview">
          {busy ? 'Checking…' : 'Check the logs'}
        </button>
      )}
      <ErrorBox error={error} />
      {preview && preview.flags.length > 0 && (
        <div class="referral-banner" role="alert" data-testid="adapt-flags">
          <strong>Look at these first</strong>
          <ul>
            {preview.flags.map((f, i) => (
              <li key={i} data-testid="adapt-flag">
                <strong>{formatDate(f.date)}</strong>: {f.reason}
                <Source source={f.source} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview && preview.changes.length === 0 && (
        <p data-testid="adapt-nothing">The logs change nothing in the weeks ahead.</p>
      )}
      {preview && preview.changes.length > 0 && (
        <>
          <ul class="adapt-changes" data-testid="adapt-changes">
            {preview.changes.map((c, i) => (
              <li key={i}>
                <strong>{KIND_TEXT[c.kind]}</strong> from week {c.from_week}
                {c.date ? ` (after ${formatDate(c.date)})` : ''}: {c.reason}
                <Source source={c.source} />
              </li>
            ))}
          </ul>
          <div class="btn-row">
            <button type="button" class="btn primary" disabled={busy} onClick={() => send(false)} data-testid="adapt-save">
              Save as a new version
            </button>
            <button type="button" class="btn ghost" disabled={busy} onClick={() => setPreview(null)}>
              Not now
            </button>
          </div>
        </>
      )}
    </section>
  );
}
