import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api, type Answer } from '../api';
import { BodyMap } from '../components/BodyMap';
import { ErrorBox, Link, Loading, formatTimestamp, useAsync } from '../components/ui';
import { loadMuscles, loadTests, loadVocabulary } from '../kb';
import {
  describeEvidence,
  evidenceCount,
  findingNotes,
  measureLabel,
  muscleLabel,
  patternWords,
  severityRank,
  sideWords,
  summarize,
  testLabel,
  type FindingsSummary,
  type StatePart,
  type SummaryItem,
  type Vocabulary,
} from '../lib/findings';
import { ComparisonSection } from './Comparison';
import type { AssessmentDoc, Asymmetry, Client, Finding, Findings, MusclesDoc, Ratio, TestDef, VocabularyDoc } from '../types';

export function FindingsTab({ client, assessmentId }: { client: Client; assessmentId?: string }) {
  const data = useAsync(async () => {
    const list = await api.get<Answer<'/api/v1/clients/{id}/assessments'>>(`/api/v1/clients/${client.id}/assessments`);
    const all = list.assessments;
    const id = assessmentId ?? all[all.length - 1]?.id;
    const [doc, muscles, tests, vocabulary] = await Promise.all([
      id ? api.get<AssessmentDoc>(`/api/v1/assessments/${id}`) : Promise.resolve(null),
      loadMuscles(),
      // Test names are a nicety: without them, test ids are put into words.
      loadTests().catch((): TestDef[] => []),
      loadVocabulary(),
    ]);
    // Only an assessment with an earlier one can be compared.
    const hasEarlier = all.findIndex((a) => a.id === id) > 0;
    return { doc, muscles, tests, vocabulary, hasEarlier };
  }, [client.id, assessmentId]);
  if (data.loading && !data.data) return <Loading label="Loading findings…" />;
  if (data.error || !data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const { doc, muscles, tests, vocabulary, hasEarlier } = data.data;
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
      <FindingsReport key={doc.id} doc={doc} muscles={muscles} tests={tests} vocabulary={vocabulary} client={client} />
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

function FindingsReport({
  doc,
  muscles,
  tests,
  vocabulary,
  client,
}: {
  doc: AssessmentDoc;
  muscles: MusclesDoc;
  tests: TestDef[];
  vocabulary: VocabularyDoc;
  client: Client;
}) {
  const f: Findings = doc.output;
  const vocab: Vocabulary = useMemo(() => ({ muscles, tests, vocabulary }), [muscles, tests, vocabulary]);
  const name = (id: string) => muscleLabel(vocab, id);
  const sorted = [...f.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence);
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
  const active = useMemo(() => f.findings.filter((x) => !dismissed.has(keyOf(x))), [f.findings, dismissed]);
  const summary = useMemo(() => summarize(f, active, vocab, doc.input), [f, active, vocab, doc.input]);
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
      <SummarySection
        s={summary}
        total={f.findings.length}
        dismissed={f.findings.length - active.length}
        meta={`Assessment of ${formatTimestamp(doc.created_at)} · knowledge base ${f.knowledge_base?.version ?? doc.knowledge_base ?? ''}`}
        plan={
          <Link href={`/clients/${client.id}/program?assessment=${doc.id}`} class="btn primary" data-testid="plan-from-findings">
            Plan a program
          </Link>
        }
      />
      {typeof f.note === 'string' && f.note && <p class="notice">{f.note}</p>}
      <section class="card" aria-labelledby="bodymap-title">
        <h2 id="bodymap-title">Body map</h2>
        <BodyMap findings={active} muscles={muscles} vocab={vocab} />
        {active.length !== f.findings.length && (
          <p class="muted small">{f.findings.length - active.length} dismissed finding(s) are not shown on the map.</p>
        )}
      </section>
      <section class="card" aria-labelledby="findings-title">
        <h2 id="findings-title" tabIndex={-1}>
          All findings ({f.findings.length})
        </h2>
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
            <FindingRow
              key={i}
              x={x}
              all={f.findings}
              vocab={vocab}
              dismissed={dismissed.has(keyOf(x))}
              onDismiss={(on) =>
                setDismissed((d) => {
                  const n = new Set(d);
                  if (on) n.add(keyOf(x));
                  else n.delete(keyOf(x));
                  return n;
                })
              }
              name={name}
            />
          ))}
        </ul>
      </section>
      {(f.asymmetries?.length ?? 0) > 0 && (
        <section class="card" aria-labelledby="asym-title">
          <h2 id="asym-title">Asymmetries</h2>
          <ul class="bars" data-testid="asymmetries">
            {f.asymmetries!.map((a, i) => (
              <AsymmetryBar key={i} a={a} vocab={vocab} />
            ))}
          </ul>
        </section>
      )}
      {(f.ratios?.length ?? 0) > 0 && (
        <section class="card" aria-labelledby="ratio-title">
          <h2 id="ratio-title">Strength and endurance ratios</h2>
          <ul class="bars" data-testid="ratios">
            {f.ratios!.map((r, i) => (
              <RatioBar key={i} r={r} vocab={vocab} />
            ))}
          </ul>
        </section>
      )}
      {(f.patterns?.length ?? 0) > 0 && (
        <section class="card" aria-labelledby="patterns-title">
          <h2 id="patterns-title">Patterns</h2>
          <ul class="patterns" data-testid="patterns">
            {f.patterns!.map((p) => {
              const w = patternWords(p, vocab);
              return (
                <li key={p.id}>
                  <strong>{w.name}</strong> · confidence {Math.round(w.confidence * 100)} %
                  {w.matched.length > 0 && <p class="muted small">Matched: {w.matched.join(', ')}</p>}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}

function scrollToAll(e: MouseEvent) {
  e.preventDefault();
  const h = document.getElementById('findings-title');
  h?.scrollIntoView({ block: 'start' });
  h?.focus({ preventScroll: true });
}

/** What a clinician reads first: referrals, patterns, the findings that matter most, asymmetries. */
function SummarySection({ s, total, dismissed, meta, plan }: { s: FindingsSummary; total: number; dismissed: number; meta: string; plan: ComponentChildren }) {
  return (
    <section class="card findings-summary" aria-labelledby="summary-title" data-testid="findings-summary">
      <div class="fs-head">
        <h2 id="summary-title">Summary</h2>
        <span class="muted small">
          {total} finding{total === 1 ? '' : 's'}
          {dismissed > 0 ? `, ${dismissed} dismissed` : ''}
        </span>
      </div>
      {s.referrals.length > 0 && (
        <div class="referral-banner fs-referrals" role="region" aria-labelledby="referrals-title" data-testid="referrals">
          <h3 id="referrals-title">Refer before exercising</h3>
          <ul>
            {s.referrals.map((r, i) => (
              <li key={i} data-urgency={r.urgency}>
                {r.urgency !== 'soon' && <span class={`urgency ${r.urgency}`}>{r.urgencyText}</span>}
                <strong>{r.title}</strong>
                {r.action && <span> · {r.action}</span>}
                {r.detail && <p>{r.detail}</p>}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="fs-block fs-inline">
        <h3 class="fs-label">Patterns</h3>
        {s.patterns.length ? (
          <p class="fs-line" data-testid="summary-patterns">
            {s.patterns.map((p, i) => (
              <span key={p.id}>
                {i > 0 && '; '}
                <strong>{p.name}</strong> <span class="muted small">({Math.round(p.confidence * 100)} % confidence)</span>
              </span>
            ))}
          </p>
        ) : (
          <p class="fs-line muted" data-testid="summary-patterns">
            No pattern detected.
          </p>
        )}
      </div>
      <div class="fs-block">
        <h3 class="fs-label">{s.top.length ? `Findings that matter most (${s.top.length})` : 'Findings'}</h3>
        {s.top.length === 0 ? (
          <p class="fs-line muted">No imbalance found{dismissed ? ' among the findings kept' : ''}.</p>
        ) : (
          <ol class="fs-top" data-testid="summary-findings">
            {s.top.map((item) => (
              <SummaryRow key={item.key} item={item} />
            ))}
          </ol>
        )}
        {s.alsoTightAndWeak.length > 0 && (
          <ul class="fs-top fs-also" data-testid="summary-tight-and-weak">
            {s.alsoTightAndWeak.map((item) => (
              <SummaryRow key={item.key} item={item} />
            ))}
          </ul>
        )}
        {s.more > 0 && (
          <p class="small fs-more">
            <a href="#findings-title" onClick={scrollToAll}>
              {s.more} more line{s.more === 1 ? '' : 's'} in all findings below
            </a>
            , with the evidence for each.
          </p>
        )}
      </div>
      {s.asymmetries.length > 0 && (
        <div class="fs-block">
          <h3 class="fs-label">Asymmetries</h3>
          <ul class="fs-asym" data-testid="summary-asymmetries">
            {s.asymmetries.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </div>
      )}
      <div class="fs-actions">
        {plan}
        <p class="muted small fs-meta">{meta}</p>
      </div>
    </section>
  );
}

function StateParts({ parts }: { parts: StatePart[] }) {
  return (
    <>
      {parts.map((p, i) => (
        <span key={p.state} class="fs-part">
          {i > 0 && '; '}
          <span class={`state-badge ${p.state}`}>{p.state}</span> {p.sides}
        </span>
      ))}
    </>
  );
}

function SummaryRow({ item }: { item: SummaryItem }) {
  const single = item.muscles.length === 1 && item.groups.length === 0;
  return (
    <li class={`fs-item fs-sev-${item.severity}`} data-testid="summary-finding" data-muscles={item.muscles.map((m) => m.muscle).join(' ')} data-severity={item.severity}>
      <p class="fs-line">
        {single ? (
          <>
            <strong>{item.title}</strong> <StateParts parts={item.muscles[0].parts} />
          </>
        ) : (
          // A group folded into its muscles: each muscle with its own sides; the note names the group.
          item.muscles.map((m, i) => (
            <span key={m.muscle} class="fs-member">
              {i > 0 && '; '}
              <strong>{m.name}</strong> <StateParts parts={m.parts} />
            </span>
          ))
        )}
        <span class="muted small">
          {' '}
          · confidence {Math.round(item.confidence * 100)} %{item.mixedEvidence ? ' · some evidence against' : ''}
        </span>
      </p>
      {item.notes.map((n, i) => (
        <p key={i} class="fs-note small">
          {n}
        </p>
      ))}
    </li>
  );
}

function FindingRow({
  x,
  all,
  vocab,
  dismissed,
  onDismiss,
  name,
}: {
  x: Finding;
  all: Finding[];
  vocab: Vocabulary;
  dismissed: boolean;
  onDismiss: (on: boolean) => void;
  name: (id: string) => string;
}) {
  const notes = findingNotes(x, all, vocab);
  const n = x.evidence.length;
  return (
    <li class={`finding ${dismissed ? 'dismissed' : ''}`} data-testid="finding" data-muscle={x.muscle} data-state={x.state}>
      <div class="finding-head">
        <span class={`state-badge ${x.state}`}>{x.state}</span>
        <strong>{name(x.muscle)}</strong>
        <span class="muted">{x.side === 'both' ? 'both sides' : `${x.side} side`}</span>
        <span class={`sev sev-${x.severity}`}>{x.severity}</span>
        <span class="muted small">confidence {Math.round(x.confidence * 100)} %</span>
        {x.conflicting_evidence && <span class="badge fs-mixed">some evidence against</span>}
        <label class="dismiss">
          <input
            type="checkbox"
            checked={dismissed}
            onChange={(e) => onDismiss((e.currentTarget as HTMLInputElement).checked)}
            data-testid="dismiss-finding"
            aria-label={`Dismiss ${name(x.muscle)}, ${sideWords(x.side)}, ${x.state}`}
          />
          Dismiss
        </label>
      </div>
      {notes.map((t, i) => (
        <p key={i} class="fs-note small" data-testid="finding-note">
          {t}
        </p>
      ))}
      <details class="evidence-details" data-testid="finding-evidence">
        <summary>
          Evidence ({n ? evidenceCount(x.evidence, vocab) : 'none'})
        </summary>
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
            {x.evidence.map((e, j) => {
              const w = describeEvidence(e, vocab);
              return (
                <tr key={j} class={e.supports === false ? 'against' : ''}>
                  <td data-label="Evidence">
                    {w.what}
                    {e.supports === false && <span class="muted small"> · speaks against</span>}
                  </td>
                  <td data-label="Observed">{w.observed}</td>
                  <td data-label="Reference">{w.reference}</td>
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
              );
            })}
          </tbody>
        </table>
      </details>
    </li>
  );
}

/** What a side-to-side comparison that is not a limb symmetry index measured. */
const DIFFERENCE_KIND: Record<string, string> = {
  gird: 'internal rotation deficit (GIRD) on the dominant side',
  total_arc: 'total rotation arc, dominant side',
};

function unitWords(unit: string | undefined): string {
  if (unit === 'deg') return '°';
  if (unit === 'mmt') return 'grade';
  return unit ?? '';
}

function AsymmetryBar({ a, vocab }: { a: Asymmetry; vocab: Vocabulary }) {
  const label = measureLabel(a.measure, vocab);
  if (typeof a.lsi_percent === 'number') {
    const threshold = a.threshold_percent ?? 90;
    const text = `${label}: limb symmetry ${a.lsi_percent} %, ${a.weaker_side ?? ''} weaker; threshold ${threshold} %`;
    return (
      <li class="bar-row">
        <span class="bar-label">
          {label}
          <span class="muted small"> · {a.weaker_side} weaker</span>
        </span>
        <span class="hbar" role="img" aria-label={text}>
          <span class="hbar-fill bad" style={{ width: `${Math.min(100, a.lsi_percent)}%` }} />
          <span class="hbar-line" style={{ left: `${threshold}%` }} title={`${threshold} % threshold`} />
        </span>
        <span class="bar-value">
          symmetry {a.lsi_percent} %
          {typeof a.lsi_involved_percent === 'number' && <span class="muted small"> (painful side {a.lsi_involved_percent} %)</span>}
        </span>
      </li>
    );
  }
  const diff = a.difference ?? a.difference_cm;
  const unit = unitWords(a.unit ?? (a.difference_cm !== undefined ? 'cm' : ''));
  return (
    <li class="bar-row">
      <span class="bar-label">
        {label}
        {a.limited_side && <span class="muted small"> · {a.limited_side} more limited</span>}
      </span>
      <span class="bar-text">
        {typeof a.method === 'string' && DIFFERENCE_KIND[a.method] ? `${DIFFERENCE_KIND[a.method]}: ` : 'difference '}
        {diff}
        {unit === '°' ? unit : ` ${unit}`}
        {typeof a.threshold === 'number' && (
          <span class="muted small">
            {' '}
            (counts above {String(a.threshold)}
            {unit === '°' ? unit : ` ${unit}`})
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

function RatioBar({ r, vocab }: { r: Ratio; vocab: Vocabulary }) {
  const label = testLabel(vocab, r.name);
  const max = Math.max(1.5, (r.normal_max ?? 0) * 1.2, r.value * 1.1);
  const low = r.normal_min !== undefined && r.value < r.normal_min;
  const high = r.normal_max !== undefined && r.value > r.normal_max;
  const normal = `${r.normal_min !== undefined ? `at least ${r.normal_min}` : ''}${r.normal_min !== undefined && r.normal_max !== undefined ? ' and ' : ''}${r.normal_max !== undefined ? `at most ${r.normal_max}` : ''}`;
  return (
    <li class="bar-row">
      <span class="bar-label">
        {label} <span class="muted small">· {sideWords(r.side)}</span>
      </span>
      <span class="hbar" role="img" aria-label={`${label}, ${sideWords(r.side)}: ${r.value.toFixed(2)}, normal ${normal}`}>
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
