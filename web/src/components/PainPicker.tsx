import type { JSX } from 'preact';
import type { SideKey } from '../lib/intake';
import type { VocabularyDoc } from '../types';
import { Silhouette } from './Figure';

// Where each pain region is drawn on the figure (back view: the client's left
// is the viewer's left). A sided region is drawn on the left at these
// coordinates and mirrored on the right; a midline region (the vocabulary's
// `midline`) once. A region without a place here is chosen in the list only.
const PLACES: Record<string, { cx: number; cy: number; rx: number; ry: number }> = {
  neck: { cx: 100, cy: 53, rx: 11, ry: 9 },
  upper_back: { cx: 100, cy: 100, rx: 24, ry: 22 },
  low_back: { cx: 100, cy: 172, rx: 22, ry: 18 },
  shoulder: { cx: 58, cy: 78, rx: 11, ry: 11 },
  elbow: { cx: 43, cy: 150, rx: 8, ry: 9 },
  wrist: { cx: 34, cy: 222, rx: 7, ry: 8 },
  hip: { cx: 78, cy: 214, rx: 13, ry: 11 },
  knee: { cx: 83, cy: 318, rx: 11, ry: 11 },
  // Ankle and foot 30 units apart: at the figure's smallest (24rem high on a
  // phone) their centres are 26 px apart, so each has the room around it
  // that WCAG 2.2 asks of a target under 24 px (2.5.8).
  ankle: { cx: 83, cy: 388, rx: 9, ry: 8 },
  foot: { cx: 82, cy: 418, rx: 12, ry: 7 },
};

type Spot = { region: string; name: string; side: SideKey; cx: number; cy: number; rx: number; ry: number };

function spotsOf(regions: VocabularyDoc['regions']): Spot[] {
  const midline = regions.filter((r) => r.midline && PLACES[r.id]);
  const sided = regions.filter((r) => !r.midline && PLACES[r.id]);
  return [
    ...midline.map((r) => ({ region: r.id, name: r.name, side: 'both' as const, ...PLACES[r.id] })),
    ...(['left', 'right'] as const).flatMap((side) =>
      sided.map((r) => {
        const p = PLACES[r.id];
        return { region: r.id, name: r.name, side, ...p, cx: side === 'left' ? p.cx : 200 - p.cx };
      }),
    ),
  ];
}

function label(s: Spot): string {
  return s.side === 'both' ? s.name : `${s.side === 'left' ? 'Left' : 'Right'} ${s.name.toLowerCase()}`;
}

export function PainPicker(props: { regions: VocabularyDoc['regions']; selected: { region: string; side: SideKey }[]; onPick: (region: string, side: SideKey) => void }) {
  const spots = spotsOf(props.regions);
  const isOn = (s: Spot) => props.selected.some((p) => p.region === s.region && (p.side === s.side || p.side === 'both' || s.side === 'both'));
  const key = (s: Spot) => (e: JSX.TargetedKeyboardEvent<SVGEllipseElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      props.onPick(s.region, s.side);
    }
  };
  return (
    <figure class="pain-picker">
      <svg viewBox="0 0 200 440" role="group" aria-label="Body, seen from behind: choose where it hurts" data-testid="pain-picker">
        <Silhouette />
        <text x="20" y="20" class="fig-label" aria-hidden="true">
          L
        </text>
        <text x="172" y="20" class="fig-label" aria-hidden="true">
          R
        </text>
        {spots.map((s) => (
          <ellipse
            key={`${s.region}-${s.side}`}
            class={`pain-spot ${isOn(s) ? 'on' : ''}`}
            cx={s.cx}
            cy={s.cy}
            rx={s.rx}
            ry={s.ry}
            // Lower case: on an SVG element Preact sets an attribute, and
            // `tabIndex` (camel case) is not one, so the spot was never focusable.
            tabindex={0}
            role="button"
            aria-pressed={isOn(s)}
            aria-label={label(s)}
            data-testid={`pain-${s.region}-${s.side}`}
            onClick={() => props.onPick(s.region, s.side)}
            onKeyDown={key(s)}
          >
            <title>{label(s)}</title>
          </ellipse>
        ))}
      </svg>
      <figcaption class="muted small">Seen from behind: the client's left is on the left. Tap a spot (or Tab to it and press Enter) to add it; again to take it off.</figcaption>
    </figure>
  );
}
