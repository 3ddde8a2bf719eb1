import { useState } from 'preact/hooks';
import { api } from '../api';
import { BodyMap } from '../components/BodyMap';
import { ErrorBox, Link, Loading, formatTimestamp, humanize, useAsync } from '../components/ui';
import { loadMuscles, muscleName } from '../kb';
import { ComparisonSection } from './Comparison';
import type { AssessmentDoc, AssessmentListItem, Asymmetry, Client, Findings, MusclesDoc, Ratio } from '../types';
import { regionName } from '../vocab';

export function FindingsTab({ client, assessmentId }: { client: Client; assessmentId?: string }) {
  const data = useAsync(async () => {
    const list = await api.get<{ assessments: AssessmentListItem[] }>(`/api/v1/clients/${client.id}/assessments`);
    const all = list.assessments;
    const id = assessmentId ?? all[all.length - 1]?.id;
    const [doc, muscles] = await Promise.all([id ? api.get<AssessmentDoc>(`/api/v1/assessments/${id}`) : Promise.resolve(null), loadMuscles()]);
    // Only an assessment with an earlier one can be compared.
    const hasEarlier = all.findIndex((a) => a.id === id) > 0;
    return { doc, muscles, hasEarlier };
  }, [client.id, assessmentId]);
  if (data.loading && !data.data) return <Loading label="Loading findings…" />;
  if (data.error || !data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const { doc, muscles, hasEarlier } = data.data;
  if (!doc)
    return (
      <section class="card">
        <p class="empty">
          No assessment yet. <Link href={`/clients/${client.id}/assess`}>Start one</Link>.
        </p>
      </section>
    );
  return (
    <div class="stack">
      <FindingsReport key={doc.id} doc={doc} muscles={muscles} client={client} />
      {hasEarlier && <ComparisonSection assessmentId={doc.id} muscles={muscles} />}
    </div>
  );
}

interface Review {
  dismiss: { muscle: string; side: string; state: string }[];
  add?: unknown[];
  notes: string;
}

function keyOf(x: { muscle: string; side: string; state: string }): string {
  return `${x.muscle}|${x.side}|${x.state}`;
}

function FindingsReport({ doc, muscles, client }: { doc: AssessmentDoc; muscles: MusclesDoc; client: Client }) {
  const f: Findings = doc.output;
  const name = (id: string) => muscleName(muscles, id);
  const referrals = f.referrals ?? [];
  const sorted = [...f.findings].sort((a, b) => sev(b.severity) - sev(a.severity) || b.confidence - a.confidence);
  const stored = (doc.review ?? null) as Review | null;
  const [dismissed, setDismissed] = useState<Set<string>>(() => new Set((stored?.dismiss ?? []).map(keyOf)));
  const [notes, setNotes] = useState(stored?.notes ?? '');
  const [savedReview, setSavedReview] = useState<Review | null>(stored);
  const [saving, setSaving] = useState(false);
  const [reviewError, setReviewError] = useState<unknown>(null);
  const dirty =
    notes !== (savedReview?.notes ?? '') ||
    dismissed.size !== (savedReview?.dismiss.length ?? 0) ||
    (savedReview?.dismiss ?? []).some((d) => !dismissed.has(keyOf(d)));
  const active = f.findings.filter((x) => !dismissed.has(keyOf(x)));
  const saveReview = async () => {
    setSaving(true);
    setReviewError(null);
    try {
      const body = {
        dismiss: f.findings.filter((x) => dismissed.has(keyOf(x))).map((x) => ({ muscle: x.muscle, side: x.side, state: x.state })),
        add: savedReview?.add ?? [],
        notes,
      };
      const r = await api.patch<AssessmentDoc>(`/api/v1/assessments/${doc.id}`, body);
      setSavedReview((r.review as Review | undefined) ?? { ...body });
    } catch (e) {
      setReviewError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div class="stack findings" data-testid="findings">
      <div class="row-between wrap">
        <p class="muted">
          Assessment of {formatTimestamp(doc.created_at)} · knowledge base {f.knowledge_base?.version ?? doc.knowledge_base}
        </p>
        <Link href={`/clients/${client.id}/program?assessment=${doc.id}`} class="btn primary" data-testid="plan-from-findings">
          Plan a program
        </Link>
      </div>
      {referrals.length > 0 && (
        <section class="referral-banner" aria-labelledby="referrals-title" data-testid="referrals">
          <h2 id="referrals-title">Refer before exercising</h2>
          <ul>
            {referrals.map((r, i) => (
              <li key={i} data-urgency={r.urgency ?? 'soon'}>
                {r.urgency && r.urgency !== 'soon' && <span class={`urgency ${r.urgency}`}>{URGENCY_TEXT[r.urgency] ?? r.urgency}</span>}
                <strong>
                  {humanize(String(r.flag ?? r.reason))}
                  {r.region ? ` · ${regionName(r.region)}` : ''}
                  {r.scope === 'whole_program' ? ' · the whole program stops' : r.scope ? ` · ${humanize(String(r.scope))}` : ''}
                </strong>
                {r.detail && <p>{r.detail}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {typeof f.note === 'string' && f.note && <p class="notice">{f.note}</p>}
      <section class="card" aria-labelledby="bodymap-title">
        <h2 id="bodymap-title">Body map</h2>
        <BodyMap findings={active} muscles={muscles} />
        {active.length !== f.findings.length && (
          <p class="muted small">{f.findings.length - active.length} dismissed finding(s) are not shown on the map.</p>
        )}
      </section>
      <section class="card" aria-labelledby="findings-title">
        <h2 id="findings-title">Findings ({f.findings.length})</h2>
        {f.findings.length === 0 && <p class="empty">No imbalance found.</p>}
        <div class="review-box">
          <p class="muted small">
            Review the findings: dismiss any your clinical judgement does not support. Programs are planned from the findings as reviewed.
          </p>
          <div class="field">
            <label for="review-notes">Clinical notes</label>
            <textarea id="review-notes" rows={2} maxLength={5000} value={notes} onInput={(e) => setNotes((e.currentTarget as HTMLTextAreaElement).value)} data-testid="review-notes" />
          </div>
          <div class="btn-row">
            <button type="button" class="btn secondary" disabled={!dirty || saving} onClick={saveReview} data-testid="save-review">
              {saving ? 'Saving…' : 'Save review'}
            </button>
            <span class="muted small" role="status">
              {!dirty && savedReview ? 'Review saved.' : dirty ? 'Unsaved changes.' : ''}
            </span>
          </div>
          <ErrorBox error={reviewError} />
        </div>
        <ul class="finding-list" data-testid="findings-list">
          {sorted.map((x, i) => (
            <li key={i} class={`finding ${dismissed.has(keyOf(x)) ? 'dismissed' : ''}`} data-testid="finding" data-muscle={x.muscle} data-state={x.state}>
              <div class="finding-head">
                <span class={`state-badge ${x.state}`}>{x.state}</span>
                <strong>{name(x.muscle)}</strong>
                <span class="muted">{x.side === 'both' ? 'both sides' : `${x.side} side`}</span>
                <span class={`sev sev-${x.severity}`}>{x.severity}</span>
                <span class="muted small">confidence {Math.round(x.confidence * 100)} %</span>
                <label class="dismiss">
                  <input
                    type="checkbox"
                    checked={dismissed.has(keyOf(x))}
                    onChange={(e) => {
                      const on = (e.currentTarget as HTMLInputElement).checked;
                      setDismissed((d) => {
                        const n = new Set(d);
                        if (on) n.add(keyOf(x));
                        else n.delete(keyOf(x));
                        return n;
                      });
                    }}
                    data-testid="dismiss-finding"
                    aria-label={`Dismiss ${name(x.muscle)}, ${x.side}, ${x.state}`}
                  />
                  Dismiss
                </label>
              </div>
              <table class="evidence-table">
                <caption class="visually-hidden">Evidence for {name(x.muscle)}</caption>
                <thead>
                  <tr>
                    <th scope="col">Evidence</th>
                    <th scope="col">Observed</th>
                    <th scope="col">Reference</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {x.evidence.map((e, j) => (
                    <tr key={j} class={e.supports === false ? 'against' : ''}>
                      <td data-label="Evidence">
                        {e.test ? humanize(e.test) : e.rule ? humanize(e.rule.split('.').pop() ?? e.rule) : e.input}
                        {e.side ? ` (${e.side})` : ''}
                        {e.supports === false && <span class="muted small"> · speaks against</span>}
                      </td>
                      <td data-label="Observed">{e.observed ?? '—'}</td>
                      <td data-label="Reference">{e.expected ?? (e.rule ? `rule ${e.rule}` : '—')}</td>
                      <td data-label="Source">
                        {e.source ? (
                          <details>
                            <summary>Source</summary>
                            <p class="small">{e.source}</p>
                          </details>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          ))}
        </ul>
      </section>
      {(f.asymmetries?.length ?? 0) > 0 && (
        <section class="card" aria-labelledby="asym-title">
          <h2 id="asym-title">Asymmetries</h2>
          <ul class="bars" data-testid="asymmetries">
            {f.asymmetries!.map((a, i) => (
              <AsymmetryBar key={i} a={a} />
            ))}
          </ul>
        </section>
      )}
      {(f.ratios?.length ?? 0) > 0 && (
        <section class="card" aria-labelledby="ratio-title">
          <h2 id="ratio-title">Strength ratios</h2>
          <ul class="bars" data-testid="ratios">
            {f.ratios!.map((r, i) => (
              <RatioBar key={i} r={r} />
            ))}
          </ul>
        </section>
      )}
      {(f.patterns?.length ?? 0) > 0 && (
        <section class="card" aria-labelledby="patterns-title">
          <h2 id="patterns-title">Patterns</h2>
          <ul class="patterns" data-testid="patterns">
            {f.patterns!.map((p) => (
              <li key={p.id}>
                <strong>{humanize(p.id)}</strong> · confidence {Math.round(p.confidence * 100)} %
                {Array.isArray(p.matched) && <p class="muted small">Matched: {(p.matched as string[]).join(', ')}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function sev(s: string): number {
  return s === 'severe' ? 3 : s === 'moderate' ? 2 : 1;
}

function measureName(m: string): string {
  const parts = m.split('.');
  return `${humanize(parts.slice(1).join(' ').replace(/\./g, ' '))} (${parts[0] === 'rom' ? 'range of motion' : parts[0]})`;
}

/** How soon a referral asks the client to act (the knowledge base's urgency). */
const URGENCY_TEXT: Record<string, string> = {
  emergency: 'Emergency: act now',
  urgent: 'Urgent: within a day or two',
};

/** What a side-to-side comparison that is not a limb symmetry index measured. */
const DIFFERENCE_KIND: Record<string, string> = {
  gird: 'internal rotation deficit (GIRD) on the dominant side',
  total_arc: 'total rotation arc, dominant side',
};

function AsymmetryBar({ a }: { a: Asymmetry }) {
  if (typeof a.lsi_percent === 'number') {
    const threshold = a.threshold_percent ?? 90;
    const text = `${measureName(a.measure)}: limb symmetry ${a.lsi_percent} %, ${a.weaker_side ?? ''} weaker; threshold ${threshold} %`;
    return (
      <li class="bar-row">
        <span class="bar-label">
          {measureName(a.measure)}
          <span class="muted small"> · {a.weaker_side} weaker</span>
        </span>
        <span class="hbar" role="img" aria-label={text}>
          <span class="hbar-fill bad" style={{ width: `${Math.min(100, a.lsi_percent)}%` }} />
          <span class="hbar-line" style={{ left: `${threshold}%` }} title={`${threshold} % threshold`} />
        </span>
        <span class="bar-value">
          LSI {a.lsi_percent} %
          {typeof a.lsi_involved_percent === 'number' && <span class="muted small"> (involved {a.lsi_involved_percent} %)</span>}
        </span>
      </li>
    );
  }
  const diff = a.difference ?? a.difference_cm;
  return (
    <li class="bar-row">
      <span class="bar-label">
        {measureName(a.measure)}
        {a.limited_side && <span class="muted small"> · {a.limited_side} limited</span>}
      </span>
      <span class="bar-text">
        {typeof a.method === 'string' && DIFFERENCE_KIND[a.method] ? `${DIFFERENCE_KIND[a.method]}: ` : 'difference '}
        {diff} {a.unit ?? (a.difference_cm !== undefined ? 'cm' : '')}
        {typeof a.threshold === 'number' && (
          <span class="muted small">
            {' '}
            (counts above {String(a.threshold)} {a.unit ?? ''})
          </span>
        )}
        {a.composite_percent && (
          <span class="muted small">
            {' '}
            · composite left {a.composite_percent.left ?? '—'} %, right {a.composite_percent.right ?? '—'} %
          </span>
        )}
      </span>
    </li>
  );
}

function RatioBar({ r }: { r: Ratio }) {
  const max = Math.max(1.5, (r.normal_max ?? 0) * 1.2, r.value * 1.1);
  const low = r.normal_min !== undefined && r.value < r.normal_min;
  const high = r.normal_max !== undefined && r.value > r.normal_max;
  const normal = `${r.normal_min !== undefined ? `at least ${r.normal_min}` : ''}${r.normal_min !== undefined && r.normal_max !== undefined ? ' and ' : ''}${r.normal_max !== undefined ? `at most ${r.normal_max}` : ''}`;
  return (
    <li class="bar-row">
      <span class="bar-label">
        {humanize(r.name)} <span class="muted small">· {r.side}</span>
      </span>
      <span class="hbar" role="img" aria-label={`${humanize(r.name)} ${r.side}: ${r.value.toFixed(2)}, normal ${normal}`}>
        {r.normal_min !== undefined && (
          <span class="hbar-band" style={{ left: `${(r.normal_min / max) * 100}%`, width: `${(((r.normal_max ?? max) - r.normal_min) / max) * 100}%` }} />
        )}
        <span class={`hbar-fill ${low || high ? 'bad' : 'ok'}`} style={{ width: `${(r.value / max) * 100}%` }} />
      </span>
      <span class="bar-value">
        {r.value.toFixed(2)} <span class="muted small">(normal {normal})</span>
      </span>
    </li>
  );
}
