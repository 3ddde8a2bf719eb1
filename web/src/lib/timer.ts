// Hold timer: a state machine over a precomputed schedule of phases (get
// ready, hold, switch sides, rest). It never reads the real time itself:
// an injected clock gives `now()` and the owner calls `tick()` (a UI calls it
// from an interval, tests advance a fake clock). Each tick returns the events
// crossed since the last one, in order, so that sounds and announcements are
// driven by the same logic the tests check.

export interface Clock {
  now(): number;
}

export type HoldSide = 'left' | 'right';

export interface HoldPlan {
  sets: number;
  holdSeconds: number;
  perSide: boolean;
  /** Seconds between sets (after the last side of a set). */
  restSeconds?: number;
  /** Seconds to change sides between the left and right hold of a set. */
  switchSeconds?: number;
  /** Seconds to get into position before the first hold. */
  readySeconds?: number;
  /** Per-side set counts (more volume for the weaker side); `sets` is then the larger. */
  setsBySide?: { left?: number; right?: number };
}

/** Sets prescribed for one side. */
export function setsFor(plan: HoldPlan, side: HoldSide | null): number {
  const base = Math.max(1, Math.floor(plan.sets));
  if (!side || !plan.setsBySide) return base;
  return Math.max(0, Math.floor(plan.setsBySide[side] ?? base));
}

/** Total sets: the most any side does. */
export function totalSets(plan: HoldPlan): number {
  if (!plan.perSide || !plan.setsBySide) return Math.max(1, Math.floor(plan.sets));
  return Math.max(1, setsFor(plan, 'left'), setsFor(plan, 'right'));
}

export type StepKind = 'ready' | 'hold' | 'switch' | 'rest';

export interface Step {
  kind: StepKind;
  /** The set this step belongs to (for rest: the set that just ended). */
  set: number;
  /** The side held (hold) or about to be held (ready, switch, rest); null when not per side. */
  side: HoldSide | null;
  durationMs: number;
}

export type TimerEvent =
  | { type: 'count'; n: number }
  | { type: 'holdStart'; set: number; side: HoldSide | null }
  | { type: 'holdEnd'; set: number; side: HoldSide | null }
  | { type: 'switchSide'; to: HoldSide }
  | { type: 'setDone'; set: number }
  | { type: 'done' };

export type TimerStatus = 'idle' | 'running' | 'paused' | 'done';

export interface TimerView {
  status: TimerStatus;
  step: Step | null;
  stepIndex: number;
  /** Milliseconds left in the current step. */
  remainingMs: number;
  /** Whole seconds shown to the user (rounded up). */
  remainingSeconds: number;
  setsCompleted: number;
  holdsCompleted: number;
  totalSets: number;
  /** Seconds actually held per hold (the prescribed hold once a hold completes). */
  holdSeconds: number;
}

/** Only phases at least this long get a 3-2-1 countdown. */
const COUNTDOWN_MIN_MS = 5000;

export function buildSchedule(plan: HoldPlan): Step[] {
  const sets = totalSets(plan);
  const hold = Math.max(0, plan.holdSeconds) * 1000;
  const rest = Math.max(0, plan.restSeconds ?? 15) * 1000;
  const change = Math.max(0, plan.switchSeconds ?? 5) * 1000;
  const ready = Math.max(0, plan.readySeconds ?? 5) * 1000;
  const sides: (HoldSide | null)[] = plan.perSide ? ['left', 'right'] : [null];
  const steps: Step[] = [];
  if (ready > 0) steps.push({ kind: 'ready', set: 1, side: sides[0], durationMs: ready });
  for (let set = 1; set <= sets; set++) {
    const here = sides.filter((side) => set <= setsFor(plan, side));
    here.forEach((side, i) => {
      if (i > 0 && change > 0) steps.push({ kind: 'switch', set, side, durationMs: change });
      steps.push({ kind: 'hold', set, side, durationMs: hold });
    });
    if (set < sets && rest > 0) steps.push({ kind: 'rest', set, side: sides.find((sd) => set + 1 <= setsFor(plan, sd)) ?? sides[0], durationMs: rest });
  }
  return steps;
}

export class HoldTimer {
  readonly plan: HoldPlan;
  readonly steps: Step[];
  private readonly clock: Clock;
  private status: TimerStatus = 'idle';
  private index = 0;
  private endsAt = 0;
  private pausedRemaining = 0;
  private counted = new Set<number>();
  private sets = 0;
  private holds = 0;

  constructor(plan: HoldPlan, clock: Clock) {
    this.plan = plan;
    this.clock = clock;
    this.steps = buildSchedule(plan);
  }

  /**
   * Starts from the first step, or from the first hold of set `fromSet` when
   * earlier sets are already done (the page was reloaded mid-exercise);
   * returns the events of starting (a hold with no ready phase starts at once).
   */
  start(fromSet = 1): TimerEvent[] {
    const total = totalSets(this.plan);
    this.counted = new Set();
    if (fromSet > total) {
      this.status = 'done';
      this.index = this.steps.length - 1;
      this.sets = total;
      this.holds = this.steps.filter((x) => x.kind === 'hold').length;
      return [{ type: 'done' }];
    }
    const first = fromSet <= 1 ? 0 : this.steps.findIndex((x) => x.kind === 'hold' && x.set === fromSet);
    this.index = Math.max(0, first);
    this.sets = fromSet <= 1 ? 0 : fromSet - 1;
    this.holds = this.steps.slice(0, this.index).filter((x) => x.kind === 'hold').length;
    this.status = 'running';
    const step = this.steps[this.index];
    this.endsAt = this.clock.now() + step.durationMs;
    const events: TimerEvent[] = [];
    if (step.kind === 'hold') events.push({ type: 'holdStart', set: step.set, side: step.side });
    return events.concat(this.tick());
  }

  pause(): void {
    if (this.status !== 'running') return;
    this.tick();
    if (this.status !== 'running') return;
    this.pausedRemaining = Math.max(0, this.endsAt - this.clock.now());
    this.status = 'paused';
  }

  resume(): TimerEvent[] {
    if (this.status !== 'paused') return [];
    this.status = 'running';
    this.endsAt = this.clock.now() + this.pausedRemaining;
    return this.tick();
  }

  /** Ends the current step now (e.g. "next" during a rest). */
  skip(): TimerEvent[] {
    if (this.status === 'paused') this.resume();
    if (this.status !== 'running') return [];
    this.endsAt = this.clock.now();
    return this.tick();
  }

  reset(): void {
    this.status = 'idle';
    this.index = 0;
    this.sets = 0;
    this.holds = 0;
    this.counted = new Set();
  }

  /** Advances to the clock's present, returning the events crossed. */
  tick(): TimerEvent[] {
    const events: TimerEvent[] = [];
    if (this.status !== 'running') return events;
    const now = this.clock.now();
    for (;;) {
      const step = this.steps[this.index];
      if (now < this.endsAt) {
        const remaining = this.endsAt - now;
        const n = Math.ceil(remaining / 1000);
        if (step.durationMs >= COUNTDOWN_MIN_MS && n <= 3 && !this.counted.has(n)) {
          for (let k = n; k <= 3; k++) this.counted.add(k);
          events.push({ type: 'count', n });
        }
        break;
      }
      // The step is over: its events, then the next step starts where it ended.
      if (step.kind === 'hold') {
        this.holds++;
        events.push({ type: 'holdEnd', set: step.set, side: step.side });
        const next = this.steps.slice(this.index + 1).find((x) => x.kind === 'hold');
        if (!next || next.set !== step.set) {
          this.sets++;
          events.push({ type: 'setDone', set: step.set });
        }
      }
      this.index++;
      this.counted = new Set();
      if (this.index >= this.steps.length) {
        this.status = 'done';
        this.index = this.steps.length - 1;
        events.push({ type: 'done' });
        break;
      }
      const next = this.steps[this.index];
      if (next.kind === 'switch' && next.side) events.push({ type: 'switchSide', to: next.side });
      if (next.kind === 'hold') {
        const prev = this.steps[this.index - 1];
        if (prev.kind === 'hold' && next.side && prev.side !== next.side) events.push({ type: 'switchSide', to: next.side });
        events.push({ type: 'holdStart', set: next.set, side: next.side });
      }
      this.endsAt += next.durationMs;
    }
    return events;
  }

  view(): TimerView {
    const step = this.status === 'idle' ? null : this.steps[this.index];
    let remainingMs = 0;
    if (this.status === 'running') remainingMs = Math.max(0, this.endsAt - this.clock.now());
    else if (this.status === 'paused') remainingMs = this.pausedRemaining;
    else if (this.status === 'idle') remainingMs = this.steps.find((s) => s.kind === 'hold')?.durationMs ?? 0;
    return {
      status: this.status,
      step,
      stepIndex: this.index,
      remainingMs,
      remainingSeconds: Math.ceil(remainingMs / 1000),
      setsCompleted: this.sets,
      holdsCompleted: this.holds,
      totalSets: totalSets(this.plan),
      holdSeconds: this.plan.holdSeconds,
    };
  }
}
