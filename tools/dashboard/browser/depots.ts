/**
 * The chapter's London depots, drawn on the map as fixed reference points so
 * that truck positions read as places rather than bare coordinates. The
 * first four are the positions of the chapter's examples; the fifth is the
 * generator's central one (Charing Cross), so every place a truck of
 * `make generate` can stop is marked.
 *
 * @module
 */

export type Depot = { name: string; latitude: number; longitude: number };

export const DEPOTS: readonly Depot[] = [
  { name: "Marylebone", latitude: 51.5208046, longitude: -0.1592323 },
  { name: "Southwark", latitude: 51.4972997, longitude: -0.0955459 },
  { name: "Stockwell", latitude: 51.4704679, longitude: -0.1176902 },
  { name: "Shoreditch", latitude: 51.522834, longitude: -0.081813 },
  { name: "Charing Cross", latitude: 51.5073219, longitude: -0.1276474 },
];
