import { describe, expect, it } from 'vitest';
import { buildSchedule, HoldTimer, type TimerEvent } from './timer';

class FakeClock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Advances in 100 ms steps collecting every event, as a UI interval would. */
function run(timer: HoldTimer, clock: FakeClock, ms: number): TimerEvent[] {
  const events: TimerEvent[] = [];
  for (let elapsed = 0; elapsed < ms; elapsed += 100) {
    clock.advance(100);
    events.push(...timer.tick());
  }
  return events;
}

describe('hold timer', () => {
  it('builds a schedule of ready, holds, side switches and rests', () => {
    const steps = buildSchedule({ sets: 2, holdSeconds: 30, perSide: true, restSeconds: 10, switchSeconds: 5, readySeconds: 5 });
    expect(steps.map((s) => `${s.kind}:${s.set}:${s.side}`)).toEqual([
      'ready:1:left',
      'hold:1:left',
      'switch:1:right',
      'hold:1:right',
      'rest:1:left',
      'hold:2:left',
      'switch:2:right',
      'hold:2:right',
    ]);
  });

  it('counts down a hold with 3-2-1 ticks and ends it', () => {
    const clock = new FakeClock();
    const timer = new HoldTimer({ sets: 1, holdSeconds: 10, perSide: false, readySeconds: 0 }, clock);
    expect(timer.view().status).toBe('idle');
    expect(timer.start()).toEqual([{ type: 'holdStart', set: 1, side: null }]);
    expect(timer.view().remainingSeconds).toBe(10);
    clock.advance(4500);
    timer.tick();
    expect(timer.view().remainingSeconds).toBe(6);
    const events = run(timer, clock, 5500);
    expect(events).toEqual([
      { type: 'count', n: 3 },
      { type: 'count', n: 2 },
      { type: 'count', n: 1 },
      { type: 'holdEnd', set: 1, side: null },
      { type: 'setDone', set: 1 },
      { type: 'done' },
    ]);
    expect(timer.view().status).toBe('done');
    expect(timer.view().setsCompleted).toBe(1);
  });

  it('switches sides automatically for per-side holds and counts sets', () => {
    const clock = new FakeClock();
    const timer = new HoldTimer({ sets: 2, holdSeconds: 30, perSide: true, restSeconds: 10, switchSeconds: 5, readySeconds: 5 }, clock);
    timer.start();
    expect(timer.view().step?.kind).toBe('ready');
    let events = run(timer, clock, 5000);
    expect(events.filter((e) => e.type !== 'count')).toEqual([{ type: 'holdStart', set: 1, side: 'left' }]);
    expect(timer.view().step).toMatchObject({ kind: 'hold', side: 'left', set: 1 });
    events = run(timer, clock, 30000);
    expect(events.filter((e) => e.type !== 'count')).toEqual([
      { type: 'holdEnd', set: 1, side: 'left' },
      { type: 'switchSide', to: 'right' },
    ]);
    expect(timer.view().step).toMatchObject({ kind: 'switch', side: 'right' });
    expect(timer.view().setsCompleted).toBe(0);
    events = run(timer, clock, 5000 + 30000);
    expect(events.filter((e) => e.type !== 'count')).toEqual([
      { type: 'holdStart', set: 1, side: 'right' },
      { type: 'holdEnd', set: 1, side: 'right' },
      { type: 'setDone', set: 1 },
    ]);
    expect(timer.view().setsCompleted).toBe(1);
    expect(timer.view().step?.kind).toBe('rest');
    events = run(timer, clock, 10000 + 30000 + 5000 + 30000);
    expect(events.filter((e) => e.type === 'setDone' || e.type === 'done')).toEqual([{ type: 'setDone', set: 2 }, { type: 'done' }]);
    expect(timer.view()).toMatchObject({ status: 'done', setsCompleted: 2, holdsCompleted: 4 });
  });

  it('pauses and resumes without losing or gaining time', () => {
    const clock = new FakeClock();
    const timer = new HoldTimer({ sets: 1, holdSeconds: 30, perSide: false, readySeconds: 0 }, clock);
    timer.start();
    clock.advance(10000);
    timer.pause();
    expect(timer.view()).toMatchObject({ status: 'paused', remainingSeconds: 20 });
    clock.advance(60000);
    expect(timer.tick()).toEqual([]);
    expect(timer.view().remainingSeconds).toBe(20);
    timer.resume();
    clock.advance(19000);
    timer.tick();
    expect(timer.view()).toMatchObject({ status: 'running', remainingSeconds: 1 });
    clock.advance(1000);
    expect(timer.tick()).toContainEqual({ type: 'done' });
  });

  it('catches up on every step when ticks were missed (a sleeping phone)', () => {
    const clock = new FakeClock();
    const timer = new HoldTimer({ sets: 3, holdSeconds: 20, perSide: false, restSeconds: 10, readySeconds: 0 }, clock);
    timer.start();
    clock.advance(20000 + 10000 + 20000 + 5000);
    const events = timer.tick();
    expect(events.filter((e) => e.type === 'setDone')).toEqual([
      { type: 'setDone', set: 1 },
      { type: 'setDone', set: 2 },
    ]);
    expect(timer.view()).toMatchObject({ setsCompleted: 2, remainingSeconds: 5 });
    expect(timer.view().step).toMatchObject({ kind: 'rest', set: 2 });
  });

  it('skips a rest on request', () => {
    const clock = new FakeClock();
    const timer = new HoldTimer({ sets: 2, holdSeconds: 10, perSide: false, restSeconds: 60, readySeconds: 0 }, clock);
    timer.start();
    run(timer, clock, 10000);
    expect(timer.view().step?.kind).toBe('rest');
    expect(timer.skip()).toEqual([{ type: 'holdStart', set: 2, side: null }]);
    expect(timer.view().remainingSeconds).toBe(10);
  });

  it('continues from a later set after a reload, counting the sets already done', () => {
    const clock = new FakeClock();
    const timer = new HoldTimer({ sets: 3, holdSeconds: 10, perSide: true, restSeconds: 5, switchSeconds: 2, readySeconds: 5 }, clock);
    const start = timer.start(3);
    expect(start).toEqual([{ type: 'holdStart', set: 3, side: 'left' }]);
    expect(timer.view().setsCompleted).toBe(2);
    const events = run(timer, clock, 10_000 + 2_000 + 10_000 + 100);
    expect(events.filter((e) => e.type === 'setDone')).toEqual([{ type: 'setDone', set: 3 }]);
    expect(timer.view().status).toBe('done');
    expect(timer.view().setsCompleted).toBe(3);
    // Every set already done: nothing left to time.
    const again = new HoldTimer({ sets: 3, holdSeconds: 10, perSide: false }, clock);
    expect(again.start(4)).toEqual([{ type: 'done' }]);
    expect(again.view().setsCompleted).toBe(3);
  });

  it('gives short holds no countdown ticks', () => {
    const clock = new FakeClock();
    const timer = new HoldTimer({ sets: 1, holdSeconds: 2, perSide: false, readySeconds: 0 }, clock);
    timer.start();
    const events = run(timer, clock, 2000);
    expect(events.some((e) => e.type === 'count')).toBe(false);
    expect(events).toContainEqual({ type: 'done' });
  });

  it('gives the weaker side its extra sets', () => {
    const plan = { sets: 3, holdSeconds: 20, perSide: true, setsBySide: { left: 3, right: 2 }, restSeconds: 10, switchSeconds: 5, readySeconds: 0 };
    const steps = buildSchedule(plan);
    expect(steps.filter((s) => s.kind === 'hold').map((s) => `${s.set}:${s.side}`)).toEqual(['1:left', '1:right', '2:left', '2:right', '3:left']);
    const clock = new FakeClock();
    const timer = new HoldTimer(plan, clock);
    timer.start();
    const events = run(timer, clock, 5 * 20000 + 2 * 5000 + 2 * 10000 + 1000);
    expect(events.filter((e) => e.type === 'setDone')).toEqual([
      { type: 'setDone', set: 1 },
      { type: 'setDone', set: 2 },
      { type: 'setDone', set: 3 },
    ]);
    expect(timer.view()).toMatchObject({ status: 'done', setsCompleted: 3, holdsCompleted: 5, totalSets: 3 });
  });
});
