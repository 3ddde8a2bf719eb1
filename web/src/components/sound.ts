// Short beeps through WebAudio (no audio files, nothing fetched). The
// context is created on a user gesture, as browsers require.

let ctx: AudioContext | null = null;
let muted = readMuted();

function readMuted(): boolean {
  try {
    return localStorage.getItem('rebalance.sound') === 'off';
  } catch {
    return false;
  }
}

export function isMuted(): boolean {
  return muted;
}

export function setMuted(on: boolean): void {
  muted = on;
  try {
    localStorage.setItem('rebalance.sound', on ? 'off' : 'on');
  } catch {
    /* preference not kept */
  }
}

export function unlockAudio(): void {
  try {
    if (!ctx) {
      const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctor) return;
      ctx = new Ctor();
    }
    if (ctx.state === 'suspended') void ctx.resume();
  } catch {
    ctx = null;
  }
}

export function beep(frequency = 880, ms = 120, volume = 0.2): void {
  if (!ctx || muted) return;
  try {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    const t = ctx.currentTime;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(volume, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + ms / 1000);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + ms / 1000 + 0.02);
  } catch {
    /* sound is a nicety */
  }
}

export const sounds = {
  tick: () => beep(660, 90, 0.15),
  holdEnd: () => beep(990, 450, 0.25),
  start: () => beep(880, 160, 0.2),
  done: () => {
    beep(990, 200, 0.25);
    setTimeout(() => beep(1320, 350, 0.25), 230);
  },
};

// Keeps the screen on while a timer runs (phones dim otherwise); optional.
type Sentinel = { release(): Promise<void> };
let lock: Sentinel | null = null;

export function keepAwake(on: boolean): void {
  const nav = navigator as unknown as { wakeLock?: { request(type: 'screen'): Promise<Sentinel> } };
  if (on && !lock && nav.wakeLock) {
    nav.wakeLock.request('screen').then(
      (l) => (lock = l),
      () => undefined,
    );
  } else if (!on && lock) {
    const l = lock;
    lock = null;
    l.release().catch(() => undefined);
  }
}
