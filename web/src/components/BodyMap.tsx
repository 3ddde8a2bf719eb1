import { useMemo, useState } from 'preact/hooks';
import { SEVERITY_WORDS, describeMap, describeRegion, mapFindings, regionKey, worseSide, type RegionSide, type RegionState } from '../lib/bodymap';
import { evidenceLine, sideWords, type Vocabulary } from '../lib/findings';
import { muscleName } from '../kb';
import type { Finding, MusclesDoc } from '../types';
import { Silhouette } from './Figure';

type Shape = { group: string; cx: number; cy: number; rx: number; ry: number; rot?: number };

// The regions are buttons that show the evidence behind them. Some (the two
// sides of the neck) are under 24 CSS px and close together, as the anatomy
// is; WCAG 2.2's target size (2.5.8) allows that through its "equivalent"
// exception: every finding and its evidence is also on the same page in the
// findings list below, behind full-size controls (and "The map in words").
// Shapes drawn on the viewer's left half; the other side mirrors them.
// Front view: the viewer's left is the client's right.
const FRONT: Shape[] = [
  { group: 'neck', cx: 95, cy: 54, rx: 4, ry: 9, rot: -15 },
  { group: 'shoulder', cx: 57, cy: 80, rx: 11, ry: 13 },
  { group: 'chest', cx: 81, cy: 94, rx: 17, ry: 12 },
  { group: 'hip_flexors', cx: 84, cy: 204, rx: 8, ry: 14, rot: -30 },
  { group: 'quadriceps', cx: 80, cy: 262, rx: 12, ry: 38 },
  { group: 'adductors', cx: 93, cy: 244, rx: 5, ry: 24 },
  { group: 'shin', cx: 80, cy: 362, rx: 6, ry: 30 },
];
const FRONT_MID: Shape[] = [{ group: 'abdominals', cx: 100, cy: 150, rx: 18, ry: 38 }];

// Back view: the viewer's left is the client's left.
const BACK: Shape[] = [
  { group: 'neck', cx: 86, cy: 64, rx: 15, ry: 6, rot: 12 },
  { group: 'shoulder', cx: 57, cy: 82, rx: 11, ry: 13 },
  { group: 'upper_back', cx: 86, cy: 102, rx: 12, ry: 20 },
  { group: 'glutes', cx: 83, cy: 220, rx: 16, ry: 16 },
  { group: 'hip_rotators', cx: 70, cy: 207, rx: 7, ry: 6 },
  { group: 'hamstrings', cx: 82, cy: 272, rx: 11, ry: 38 },
  { group: 'calves', cx: 82, cy: 352, rx: 10, ry: 26 },
];
const BACK_MID: Shape[] = [{ group: 'lower_back', cx: 100, cy: 170, rx: 16, ry: 20 }];

const FILL: Record<string, string> = { tight: 'url(#bm-tight)', weak: 'url(#bm-weak)', both: 'url(#bm-both)', none: 'transparent' };

function Patterns() {
  return (
    <defs>
      <pattern id="bm-tight" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#f3b14e" />
        <rect width="2" height="6" fill="#b35c00" />
      </pattern>
      <pattern id="bm-weak" width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill="#5aa6dc" />
        <circle cx="3" cy="3" r="1.3" fill="#00497a" />
      </pattern>
      <pattern id="bm-both" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="4" height="8" fill="#e69f00" />
        <rect x="4" width="4" height="8" fill="#0072b2" />
      </pattern>
    </defs>
  );
}

export function Legend() {
  return (
    <ul class="bm-legend" aria-label="Legend">
      <li>
        <svg width="22" height="14" aria-hidden="true">
          <rect width="22" height="14" fill="url(#bm-tight)" stroke="#7a3f00" />
        </svg>
        Tight (overactive): orange, diagonal lines
      </li>
      <li>
        <svg width="22" height="14" aria-hidden="true">
          <rect width="22" height="14" fill="url(#bm-weak)" stroke="#00324f" />
        </svg>
        Weak (underactive): blue, dots
      </li>
      <li>
        <svg width="22" height="14" aria-hidden="true">
          <rect width="22" height="14" fill="url(#bm-both)" stroke="#333" />
        </svg>
        Tight and weak findings: orange and blue stripes
      </li>
      <li>
        <svg width="66" height="14" aria-hidden="true">
          <rect x="1" y="1" width="18" height="12" fill="#e69f00" fill-opacity="0.45" stroke="#8f5a00" stroke-width="1" />
          <rect x="24" y="1" width="18" height="12" fill="#e69f00" fill-opacity="0.75" stroke="#8f5a00" stroke-width="2" />
          <rect x="47" y="1.5" width="17" height="11" fill="#e69f00" stroke="#8f5a00" stroke-width="3" />
        </svg>
        Severity: paler and thin outline for mild, stronger for moderate, full colour and thick outline for severe
      </li>
      <li>
        <svg width="22" height="14" aria-hidden="true">
          <circle cx="11" cy="7" r="5" class="bm-worse" />
        </svg>
        Worse side: marks the side with the more severe findings where both sides have some
      </li>
    </ul>
  );
}

/** The findings on the body; `vocab` names what the evidence of a region's findings is. */
export function BodyMap({ findings, muscles, vocab }: { findings: Finding[]; muscles: MusclesDoc; vocab: Vocabulary }) {
  const regions = useMemo(() => mapFindings(findings, muscles), [findings, muscles]);
  const [active, setActive] = useState<string | null>(null);
  const groupName = (g: string) => muscles.groups.find((x) => x.id === g)?.name ?? muscleName(muscles, g);
  const name = (id: string) => muscleName(muscles, id);
  const isWorse = (r: RegionState) => r.side !== 'mid' && worseSide(regions, r.group) === r.side;

  const shape = (s: Shape, side: RegionSide, mirror: boolean, view: string) => {
    const r = regions.get(regionKey(s.group, side));
    if (!r) return null;
    const cx = mirror ? 200 - s.cx : s.cx;
    const rot = s.rot ? (mirror ? -s.rot : s.rot) : 0;
    const key = regionKey(s.group, side);
    const interactive = r.fill !== 'none';
    const worse = isWorse(r);
    const text = describeRegion(r, groupName(s.group), name, worse);
    return [
      <ellipse
        key={`${view}-${key}`}
        class={`bm-region fill-${r.fill} sev-${r.severity} ${active === key ? 'active' : ''}`}
        cx={cx}
        cy={s.cy}
        rx={s.rx}
        ry={s.ry}
        transform={rot ? `rotate(${rot} ${cx} ${s.cy})` : undefined}
        fill={FILL[r.fill]}
        // Lower case: on an SVG element this is an attribute (`tabIndex` is none).
        tabindex={interactive ? 0 : undefined}
        role={interactive ? 'button' : undefined}
        aria-label={interactive ? text : undefined}
        aria-hidden={interactive ? undefined : true}
        data-testid={`bm-${view}-${key.replace(':', '-')}`}
        data-fill={r.fill}
        data-severity={SEVERITY_WORDS[r.severity]}
        onMouseEnter={() => setActive(key)}
        onFocus={() => setActive(key)}
        onClick={() => setActive(key)}
      >
        <title>{text}</title>
      </ellipse>,
      worse && (
        <circle
          key={`${view}-${key}-worse`}
          class="bm-worse"
          cx={cx}
          cy={s.cy}
          r={4.5}
          aria-hidden="true"
          data-testid={`bm-worse-${view}-${key.replace(':', '-')}`}
        />
      ),
    ];
  };

  const figure = (view: 'front' | 'back') => {
    const sided = view === 'front' ? FRONT : BACK;
    const mid = view === 'front' ? FRONT_MID : BACK_MID;
    // Front: viewer-left is the client's right.
    const leftHalf: RegionSide = view === 'front' ? 'right' : 'left';
    const rightHalf: RegionSide = view === 'front' ? 'left' : 'right';
    return (
      <figure class="bm-figure">
        <svg viewBox="0 0 200 440" role="group" aria-label={`${view === 'front' ? 'Front' : 'Back'} view`}>
          {view === 'front' && <Patterns />}
          <Silhouette />
          <text x="14" y="20" class="fig-label" aria-hidden="true">
            {view === 'front' ? 'R' : 'L'}
          </text>
          <text x="176" y="20" class="fig-label" aria-hidden="true">
            {view === 'front' ? 'L' : 'R'}
          </text>
          {mid.map((s) => shape(s, 'mid', false, view))}
          {sided.map((s) => shape(s, leftHalf, false, view))}
          {sided.map((s) => shape(s, rightHalf, true, view))}
        </svg>
        <figcaption>{view === 'front' ? 'Front' : 'Back'}</figcaption>
      </figure>
    );
  };

  const current: RegionState | undefined = active ? regions.get(active) : undefined;
  const flagged = [...regions.values()].filter((r) => r.fill !== 'none');
  const lines = describeMap(regions, groupName);
  return (
    <div class="bodymap" data-testid="body-map">
      <div class="bm-figures">
        {figure('front')}
        {figure('back')}
      </div>
      <div class="bm-side">
        <Legend />
        {lines.length > 0 && (
          <details class="bm-text" data-testid="body-map-text">
            <summary>The map in words ({lines.length} muscle groups)</summary>
            <ul>
              {lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          </details>
        )}
        <div class="bm-detail" aria-live="polite" data-testid="body-map-detail">
          {current ? (
            <RegionDetail r={current} groupName={groupName(current.group)} name={name} vocab={vocab} worse={isWorse(current)} />
          ) : (
            <p class="muted">
              {flagged.length
                ? 'Point at, tap or tab to a coloured region to see the evidence behind it.'
                : 'No muscle group shows a finding.'}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

function RegionDetail({ r, groupName, name, vocab, worse }: { r: RegionState; groupName: string; name: (id: string) => string; vocab: Vocabulary; worse: boolean }) {
  const all = [...r.tight, ...r.weak];
  return (
    <div>
      <h3>
        {groupName}
        {r.side !== 'mid' ? `, ${r.side} side` : ''}
        {worse && <span class="badge">worse side</span>}
      </h3>
      {all.length === 0 && <p class="muted">No findings here.</p>}
      {all.map((f, i) => (
        <div key={i} class="bm-finding">
          <p>
            <span class={`state-badge ${f.state}`}>{f.state}</span> <strong>{name(f.muscle)}</strong> ({sideWords(f.side)}), {f.severity}, confidence{' '}
            {Math.round(f.confidence * 100)} %
          </p>
          <ul class="evidence">
            {f.evidence.map((e, j) => (
              <li key={j}>{evidenceLine(e, vocab)}</li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
