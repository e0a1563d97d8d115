/**
 * What the dashboard server sends its viewers: the body of `/api/trucks`, the
 * `trucks` and `heartbeat` events of `/api/events`. Types only, shared by the
 * server and the page (which imports them with `import type`, so nothing of
 * this file reaches the browser).
 *
 * @module
 */

/** One truck as the page shows it; `null` where the table holds no value yet. */
export type TruckView = {
  vin: string;
  latitude: number | null;
  longitude: number | null;
  /** UTC `YYYY-MM-DDTHH:mm:ss.sssZ` of the position, as stored. */
  locationTimestamp: string | null;
  mileage: number | null;
  mileageAtOilChange: number | null;
  /** `mileage - mileage-at-oil-change`; null until an oil change has been seen. */
  milesSinceOilChange: number | null;
  /** True when `milesSinceOilChange` has reached the service interval. */
  due: boolean;
};

/**
 * The whole table, sorted by VIN. Nothing time-dependent is in it, so equal
 * tables give byte-equal bodies and the content hash is a strong ETag.
 */
export type TrucksBody = {
  /** Miles between oil changes, from the server's `--service-interval`. */
  serviceInterval: number;
  /** How often the server sends a heartbeat; the page calls data stale after missing two. */
  heartbeatMs: number;
  trucks: TruckView[];
};

/** The data of a `heartbeat` event: the server is up, and how its table reads are going. */
export type Heartbeat = {
  /** Server clock, epoch ms. */
  now: number;
  /** Server clock, epoch ms, of the last successful table read; null before the first. */
  readAt: number | null;
  /** True while the latest table read failed (details stay in the server's log). */
  readFailing: boolean;
};
