import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, type Answer } from '../api';
import { Chart } from '../components/Chart';
import { ErrorBox, Link, Loading, SelectField, TableScroll, formatDate, formatTimestamp, humanize, useAsync } from '../components/ui';
import { loadExercises, loadMuscles } from '../kb';
import { isoDate, percentText } from '../lib/adherence';
import { doseText } from '../lib/dose';
import { comparisonPair, dayCount, earlierChoices, laterChoices, nextReassessment, reassessmentDue, type Reassessment } from '../lib/progress';
import { doneText, sessionRows } from '../lib/sessionlog';
import { logsOfVersions } from '../logs';
import { ComparisonSection } from './Comparison';
import type { Adherence, AssessmentListItem, Client, Exercise, LogEntry, Program, ProgramListItem } from '../types';

export function loadAdherence(programId: string): Promise<Adherence> {
  return api.get<Adherence>(`/api/v1/programs/${programId}/adherence`);
}

export function ProgressTab({ client, programId }: { client: Client; programId?: string }) {
  const data = useAsync(async () => {
    const [programs, assessments] = await Promise.all([
      api.get<{ programs: ProgramListItem[] }>(`/api/v1/clients/${client.id}/programs`).then((r) => r.programs),
      api.get<Answer<'/api/v1/clients/{id}/assessments'>>(`/api/v1/clients/${client.id}/assessments`).then((r) => r.assessments),
    ]);
    const id = programId ?? programs[programs.length - 1]?.id;
    if (!id) return { assessments, report: null };
    const [program, logs] = await Promise.all([api.get<Program>(`/api/v1/programs/${id}`), logsOfVersions(programs, id)]);
    const adherence = await loadAdherence(id);
    return { assessments, report: { program, logs, adherence } };
  }, [client.id, programId]);
  if (data.loading && !data.data) return <Loading label="Loading progress…" />;
  if (data.error || !data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const { assessments, report } = data.data;
  const reassessment = <Reassessments client={client} assessments={assessments} dates={report?.program.reassessments} />;
  if (!report)
    return (
      <div class="stack">
        <section class="card">
          <p class="empty">
            No program yet, so no progress to show. <Link href={`/clients/${client.id}/program`}>Plan a program</Link>.
          </p>
        </section>
        {reassessment}
      </div>
    );
  return <ProgressReport {...report}>{reassessment}</ProgressReport>;
}

/**
 * The re-assessment: with two or more assessments, what changed between the
 * latest and the one before (or a pair chosen); with one, when the next is due.
 */
function Reassessments({ client, assessments, dates }: { client: Client; assessments: AssessmentListItem[]; dates?: Reassessment[] }) {
  if (assessments.length === 0) return null;
  if (assessments.length === 1) return <ReassessmentDue client={client} dates={dates} />;
  return <AssessmentComparison assessments={assessments} dates={dates} />;
}

function ReassessmentDue({ client, dates }: { client: Client; dates?: Reassessment[] }) {
  const due = reassessmentDue(dates, isoDate(new Date()));
  const start = <Link href={`/clients/${client.id}/assess`}>Start the re-assessment</Link>;
  return (
    <section class="card" aria-labelledby="reassess-title" data-testid="reassessment-due">
      <h2 id="reassess-title">Re-assessment</h2>
      {due.kind === 'none' && (
        <p>
          One assessment so far. Once the client is assessed again, this page shows what changed. <Link href={`/clients/${client.id}/assess`}>Start a re-assessment</Link>.
        </p>
      )}
      {due.kind === 'upcoming' && (
        <p>
          One assessment so far. The re-assessment is due in week {due.week}, on {formatDate(due.date)} (in {dayCount(due.days)})
          {due.later.length > 0 && <>, then in {due.later.map((r) => `week ${r.week} (${formatDate(r.date)})`).join(' and ')}</>}. After it, this
          page shows what changed.
        </p>
      )}
      {due.kind === 'today' && (
        <p class="notice">
          The re-assessment is due today (week {due.week}). {start}.
        </p>
      )}
      {due.kind === 'overdue' && (
        <p class="notice">
          The re-assessment was due in week {due.week}, on {formatDate(due.date)}: {dayCount(due.days)} ago. {start}.
        </p>
      )}
    </section>
  );
}

function AssessmentComparison({ assessments, dates }: { assessments: AssessmentListItem[]; dates?: Reassessment[] }) {
  const [chosen, setChosen] = useState<{ after?: string; before?: string }>({});
  const muscles = useAsync(() => loadMuscles(), []);
  const pair = comparisonPair(assessments, chosen.after, chosen.before)!;
  const number = (id: string) => assessments.findIndex((a) => a.id === id) + 1;
  const label = (a: AssessmentListItem) => `Assessment ${number(a.id)} (${formatTimestamp(a.created_at)})`;
  const byId = (id: string) => assessments.find((a) => a.id === id)!;
  const next = nextReassessment(dates, isoDate(new Date()));
  if (muscles.loading && !muscles.data) return <Loading label="Comparing the assessments…" />;
  if (muscles.error || !muscles.data) return <ErrorBox error={muscles.error} onRetry={muscles.reload} />;
  return (
    <ComparisonSection
      assessmentId={pair.after}
      withId={pair.before}
      muscles={muscles.data}
      title="What changed between assessments"
      testId="progress-comparison"
    >
      {assessments.length > 2 ? (
        <div class="grid-2 compare-pick">
          <SelectField
            label="Assessment"
            value={pair.after}
            onChange={(after) => setChosen({ after })}
            options={laterChoices(assessments).map((a) => ({ value: a.id, label: label(a) }))}
            testId="compare-after"
          />
          <SelectField
            label="Compared with"
            value={pair.before}
            onChange={(before) => setChosen({ after: pair.after, before })}
            options={earlierChoices(assessments, pair.after).map((a) => ({ value: a.id, label: label(a) }))}
            testId="compare-before"
          />
        </div>
      ) : null}
      <p class="muted small compare-pair" data-testid="compare-pair">
        {label(byId(pair.after))}, compared with {label(byId(pair.before)).replace(/^Assessment/, 'assessment')}.
        {next && ` Next re-assessment: week ${next.week}, ${formatDate(next.date)}.`}
      </p>
    </ComparisonSection>
  );
}

export function AdherenceSummary({ a }: { a: Adherence }) {
  return (
    <dl class="stats" data-testid="adherence-summary">
      <div>
        <dt>Consistency</dt>
        <dd data-testid="consistency">{percentText(a.consistency_percent)}</dd>
      </div>
      <div>
        <dt>Sessions done</dt>
        <dd>
          {a.completed_sessions} <span class="muted small">of {a.due_sessions} due</span>
        </dd>
      </div>
      <div>
        <dt>Current streak</dt>
        <dd data-testid="current-streak">{a.current_streak}</dd>
      </div>
      <div>
        <dt>Longest streak</dt>
        <dd>{a.longest_streak}</dd>
      </div>
    </dl>
  );
}

function ProgressReport({ program, logs, adherence, children }: { program: Program; logs: LogEntry[]; adherence: Adherence; children?: ComponentChildren }) {
  const sorted = logs.filter((l) => l.log).sort((a, b) => a.log!.date.localeCompare(b.log!.date) || a.created_at - b.created_at);
  return (
    <div class="stack" data-testid="progress">
      <section class="card" aria-labelledby="adh-title">
        <h2 id="adh-title">Adherence</h2>
        <AdherenceSummary a={adherence} />
        {adherence.next && (
          <p>
            Next session: week {adherence.next.week}, day {adherence.next.day}, {formatDate(adherence.next.date)}.
          </p>
        )}
        <Chart
          title="Sessions per week: planned and completed"
          xLabels={adherence.weeks.map((w) => `W${w.week}`)}
          series={[
            { label: 'Planned', values: adherence.weeks.map((w) => w.planned_sessions), color: '#8a99a8', kind: 'bars' },
            { label: 'Completed', values: adherence.weeks.map((w) => w.completed_sessions), color: '#0072b2', kind: 'bars' },
          ]}
          yMax={Math.max(program.days_per_week, ...adherence.weeks.map((w) => w.planned_sessions)) + 1}
          yLabel="sessions"
          testId="chart-adherence"
        />
      </section>
      <section class="card" aria-labelledby="effort-title">
        <h2 id="effort-title">Effort and pain</h2>
        {sorted.length === 0 ? (
          <p class="empty">No sessions logged yet.</p>
        ) : (
          <Chart
            title="Session effort and pain (0–10), by logged session"
            xLabels={sorted.map((l) => formatDate(l.log!.date, { day: 'numeric', month: 'short' }))}
            series={[
              { label: 'Effort', values: sorted.map((l) => l.log!.effort), color: '#0072b2', kind: 'line' },
              { label: 'Pain', values: sorted.map((l) => l.log!.pain), color: '#d55e00', kind: 'line', dash: [6, 4] },
            ]}
            yMax={10}
            yLabel="0–10"
            testId="chart-effort"
          />
        )}
      </section>
      {children}
      <LoggedSessions program={program} logs={sorted} />
      <section class="card" aria-labelledby="missed-title">
        <h2 id="missed-title">Missed sessions ({adherence.missed.length})</h2>
        {adherence.missed.length === 0 ? (
          <p class="muted">None missed.</p>
        ) : (
          <ul class="missed" data-testid="missed-list">
            {adherence.missed.map((m) => (
              <li key={`${m.week}-${m.day}`}>
                Week {m.week}, day {m.day}: {formatDate(m.date)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

// Every logged session in full, newest first: the client's note, each planned
// exercise done or skipped with the sets, reps or holds, effort and pain
// reported, and anything done that was not planned.
function LoggedSessions({ program, logs }: { program: Program; logs: LogEntry[] }) {
  const names = useAsync(() => loadExercises(), []);
  const exercises: Map<string, Exercise> = names.data ?? new Map();
  const newest = [...logs].reverse();
  return (
    <section class="card" aria-labelledby="logged-title" data-testid="logged-sessions">
      <h2 id="logged-title">Logged sessions ({logs.length})</h2>
      {newest.length === 0 && <p class="empty">No sessions logged yet.</p>}
      {newest.map((entry, n) => {
        const log = entry.log!;
        const rows = sessionRows(program, log);
        const skipped = rows.filter((r) => r.status === 'skipped').length;
        return (
          <details key={entry.id} class="logged-session" open={n === 0} data-testid="logged-session">
            <summary>
              <strong>
                Week {log.week}, day {log.day} · {formatDate(log.date)}
              </strong>{' '}
              <span class="muted">
                effort {log.effort}, pain {log.pain}
                {skipped > 0 ? ` · ${skipped} skipped` : ''}
                {log.note ? ' · note' : ''}
              </span>
            </summary>
            {log.note && (
              <blockquote class="client-note" data-testid="logged-note">
                {log.note}
              </blockquote>
            )}
            <TableScroll label={`Week ${log.week}, day ${log.day}: what was done`}>
              <table class="logged-table">
                <thead>
                  <tr>
                    <th scope="col">Exercise</th>
                    <th scope="col">Planned</th>
                    <th scope="col">Done</th>
                    <th scope="col">Effort</th>
                    <th scope="col">Pain</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i} class={r.status}>
                      <th scope="row">{exercises.get(r.exercise)?.name ?? humanize(r.exercise)}</th>
                      <td>{r.planned ? doseText(r.planned) : <span class="muted">not planned</span>}</td>
                      <td>{r.logged ? doneText(r.logged) : <strong class="bad-text">skipped</strong>}</td>
                      <td>{r.logged?.effort ?? <span class="muted">–</span>}</td>
                      <td>{r.logged?.pain ?? <span class="muted">–</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </details>
        );
      })}
    </section>
  );
}
