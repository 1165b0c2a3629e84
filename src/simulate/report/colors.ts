/**
 * One colour per variant that depends on the variant alone, so that a model keeps its colour in
 * `vouch report` and in every `vouch compare` that shows it. A variant's colour is the palette entry its
 * name hashes to; when two variants of one report hash to the same entry, the one first in name order keeps
 * it and the other takes the next free entry. In a comparison, the same variant in a later run keeps its
 * colour and is striped.
 */

/** Tableau 10: distinguishable, and readable for the common colour-vision deficiencies. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** FNV-1a, 32 bits: stable across processes and platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Colour per variant id, for the variants shown together. */
export function variantColors(variants: readonly string[]): Map<string, string> {
  const distinct = [...new Set(variants)].sort();
  const taken = new Set<number>();
  const colors = new Map<string, string>();
  for (const variant of distinct) {
    let index = hash(variant) % PALETTE.length;
    // More variants than colours share them in turn.
    for (let step = 0; step < PALETTE.length && taken.has(index); step++)
      index = (index + 1) % PALETTE.length;
    taken.add(index);
    if (taken.size === PALETTE.length) taken.clear();
    colors.set(variant, PALETTE[index]!);
  }
  return colors;
}
