import type { ComponentChildren } from 'preact';
import { api } from '../api';
import { ErrorBox, Loading, TableScroll, humanize, useAsync, useId } from '../components/ui';
import { muscleName } from '../kb';
import type { Comparison, MusclesDoc } from '../types';

const VERDICT: Record<string, string> = {
  improved: 'improved',
  worse: 'worse',
  within_error: 'within measurement error',
  not_judged: 'not judged',
};

function measureLabel(m: string): string {
  const parts = m.split('.');
  return humanize(parts.slice(1).join(' '));
}

function pair(before: number | null, after: number | null, unit: string): string {
  if (before !== null && after === null) return `${before} ${unit} → within the cutoff`;
  if (before === null && after !== null) return `within the cutoff → ${after} ${unit}`;
  return `${before ?? '—'} → ${after ?? '—'} ${unit}`;
}

/**
 * Change since an earlier assessment (GET /assessments/{id}/comparison):
 * by default the one just before `assessmentId`, or `withId`. `children`
 * (a choice of assessments, say) go under the heading.
 */
export function ComparisonSection(props: {
  assessmentId: string;
  withId?: string;
  muscles: MusclesDoc;
  title?: string;
  testId?: string;
  children?: ComponentChildren;
}) {
  const titleId = useId('cmp');
  return (
    <section class="card" aria-labelledby={titleId} data-testid={props.testId ?? 'comparison'}>
      <h2 id={titleId}>{props.title ?? 'Since the previous assessment'}</h2>
      {props.children}
      <ComparisonBody assessmentId={props.assessmentId} withId={props.withId} muscles={props.muscles} />
    </section>
  );
}

function ComparisonBody({ assessmentId, withId, muscles }: { assessmentId: string; withId?: string; muscles: MusclesDoc }) {
  const data = useAsync(
    () => api.get<Comparison>(`/api/v1/assessments/${assessmentId}/comparison${withId ? `?with=${encodeURIComponent(withId)}` : ''}`),
    [assessmentId, withId],
  );
  if (data.loading && !data.data) return <Loading label="Comparing the assessments…" />;
  if (data.error || !data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const c = data.data;
  const s = c.summary;
  return (
    <div class="comparison-body" data-testid="comparison-body" aria-busy={data.loading ? true : undefined}>
      <ul class="chips" aria-label="Summary of changes">
        <li class="chip good">{s.resolved} resolved</li>
        <li class="chip good">{s.improved} improved</li>
        <li class="chip">{s.unchanged} unchanged</li>
        <li class="chip bad">{s.worse} worse</li>
        <li class="chip bad">{s.new} new</li>
      </ul>
      {c.findings.filter((f) => f.change !== 'unchanged').length > 0 && (
        <TableScroll label="Findings that changed">
          <table>
            <caption class="visually-hidden">Findings that changed</caption>
            <thead>
              <tr>
                <th scope="col">Finding</th>
                <th scope="col">Before</th>
                <th scope="col">Now</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {c.findings
                .filter((f) => f.change !== 'unchanged')
                .map((f, i) => (
                  <tr key={i}>
                    <td>
                      {f.name && f.name !== f.muscle ? f.name : muscleName(muscles, f.muscle)} ({f.side}, {f.state})
                    </td>
                    <td>{f.before ?? '—'}</td>
                    <td>{f.after ?? '—'}</td>
                    <td class={`change-${f.change}`}>{f.change}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {c.measures.length > 0 && (
        <details>
          <summary>Measurements ({c.measures.length})</summary>
          <TableScroll label="Measurements">
            <table>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Before</th>
                  <th scope="col">Now</th>
                  <th scope="col">Change</th>
                  <th scope="col">Verdict</th>
                </tr>
              </thead>
              <tbody>
                {c.measures.map((m, i) => (
                  <tr key={i}>
                    <td>
                      {measureLabel(m.measure)}
                      {m.side && m.side !== 'both' ? ` (${m.side})` : ''}
                    </td>
                    <td>
                      {m.before ?? '—'} {typeof m.before === 'number' ? m.unit : ''}
                    </td>
                    <td>
                      {m.after ?? '—'} {typeof m.after === 'number' ? m.unit : ''}
                    </td>
                    <td>
                      {typeof m.delta === 'number' ? `${m.delta > 0 ? '+' : ''}${m.delta} ${m.unit}` : ''}
                      {typeof m.mdc === 'number' && <span class="muted small"> (MDC {m.mdc})</span>}
                    </td>
                    <td class={`change-${m.verdict}`}>{VERDICT[m.verdict] ?? m.verdict}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </details>
      )}
      {c.asymmetries.length > 0 && (
        <ul class="bars">
          {c.asymmetries.map((a, i) => (
            <li key={i} class="bar-row">
              <span class="bar-label">{measureLabel(a.measure)}</span>
              <span class="bar-text">
                {a.before_lsi_percent !== null || a.after_lsi_percent !== null
                  ? `LSI ${pair(a.before_lsi_percent, a.after_lsi_percent, '%')}`
                  : `difference ${pair(a.before_difference, a.after_difference, a.unit)}`}
              </span>
              <span class={`bar-value change-${a.change}`}>{a.change}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
