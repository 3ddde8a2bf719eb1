// A simple human silhouette in a 200 x 440 box, shared by the pain picker
// and the body map. The viewer's left is x < 100.

export function Silhouette() {
  return (
    <g class="silhouette" aria-hidden="true">
      <circle cx="100" cy="28" r="19" />
      <rect x="91" y="44" width="18" height="18" rx="4" />
      <path d="M62 64 Q100 54 138 64 Q150 70 148 84 L138 150 Q134 172 134 190 L140 216 L60 216 L66 190 Q66 172 62 150 L52 84 Q50 70 62 64 Z" />
      <path d="M54 70 Q44 74 42 92 L36 150 L30 226 Q32 236 40 234 L48 168 L56 120 L60 96 Z" />
      <path d="M146 70 Q156 74 158 92 L164 150 L170 226 Q168 236 160 234 L152 168 L144 120 L140 96 Z" />
      <path d="M62 212 L100 212 L98 300 L95 330 L93 404 L73 404 L70 330 L66 300 Z" />
      <path d="M138 212 L100 212 L102 300 L105 330 L107 404 L127 404 L130 330 L134 300 Z" />
      <ellipse cx="82" cy="412" rx="13" ry="7" />
      <ellipse cx="118" cy="412" rx="13" ry="7" />
    </g>
  );
}
