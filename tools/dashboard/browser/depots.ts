/**
 * The chapter's London depots, drawn on the map as fixed reference points so
 * that truck positions read as places rather than bare coordinates. The
 * first four are the positions of the chapter's examples; the fifth is a
 * central one (Covent Garden).
 *
 * @module
 */

export type Depot = { name: string; latitude: number; longitude: number };

export const DEPOTS: readonly Depot[] = [
  { name: "Marylebone", latitude: 51.5208046, longitude: -0.1592323 },
  { name: "Southwark", latitude: 51.4972997, longitude: -0.0955459 },
  { name: "Stockwell", latitude: 51.4704679, longitude: -0.1176902 },
  { name: "Shoreditch", latitude: 51.522834, longitude: -0.081813 },
  { name: "Covent Garden", latitude: 51.5115, longitude: -0.1235 },
];
