// An exercise drawn by the server from its body model: the animated loop, or
// the still (start pose faint, end pose in full, an arrow) where motion is
// unwanted. Plain <img>: the drawings are SVG without script, so the page's
// Content-Security-Policy needs nothing new.

export function figureUrl(id: string, animated: boolean): string {
  return `/api/v1/exercises/${encodeURIComponent(id)}/${animated ? 'animation' : 'illustration'}.svg`;
}

/**
 * `decorative`: the exercise's name is beside the drawing (a list item, a
 * labelled link), so the image says nothing more to a screen reader.
 */
export function ExerciseFigure({
  id,
  name,
  animated = false,
  size = 'small',
  decorative = false,
}: {
  id: string;
  name: string;
  animated?: boolean;
  size?: 'small' | 'medium' | 'large';
  decorative?: boolean;
}) {
  const still = figureUrl(id, false);
  const alt = decorative ? '' : `Drawing of ${name}`;
  return (
    <figure class={`ex-figure ${size}`} data-testid="exercise-figure">
      {animated ? (
        // People who asked for less motion get the still.
        <picture>
          <source srcset={still} media="(prefers-reduced-motion: reduce)" />
          <img src={figureUrl(id, true)} alt={alt} loading="lazy" decoding="async" />
        </picture>
      ) : (
        <img src={still} alt={alt} loading="lazy" decoding="async" />
      )}
    </figure>
  );
}
