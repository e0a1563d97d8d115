/**
 * The chapter's example trucks, for tests only: the three trucks of table
 * 11.3, with mileages and oil changes made up to give table 11.1's miles since
 * oil change (35, 167 and 78). The same trucks twice, as rows and as stored
 * items, each written out in full so that a test of one form against the
 * other does not lean on the conversion it tests.
 *
 * @module
 */

import type { Item } from "../item.ts";
import type { Row } from "../row.ts";

/** The trucks as rows, in the chapter's order: 1HGCM82633A004352, JH4TB2H26CC000000, 19UYA31581L000000. */
export const CHAPTER_ROWS: readonly [Row, Row, Row] = [
  {
    vin: "1HGCM82633A004352",
    mileage: 12453,
    mileageAtOilChange: 12418,
    location: {
      timestamp: "2018-08-02T21:50:49.000Z",
      latitude: 51.5208046,
      longitude: -0.1592323,
    },
  },
  {
    vin: "JH4TB2H26CC000000",
    mileage: 19090,
    mileageAtOilChange: 18923,
    location: {
      timestamp: "2018-08-01T22:46:12.000Z",
      latitude: 51.4972997,
      longitude: -0.0955459,
    },
  },
  {
    vin: "19UYA31581L000000",
    mileage: 8407,
    mileageAtOilChange: 8329,
    location: {
      timestamp: "2018-08-02T18:14:45.000Z",
      latitude: 51.4704679,
      longitude: -0.1176902,
    },
  },
];

/** The same trucks as stored items (the design card's attribute names), in the same order. */
export const CHAPTER_ITEMS: readonly [Item, Item, Item] = [
  {
    vin: "1HGCM82633A004352",
    mileage: 12453,
    "mileage-at-oil-change": 12418,
    "location-timestamp": "2018-08-02T21:50:49.000Z",
    latitude: 51.5208046,
    longitude: -0.1592323,
  },
  {
    vin: "JH4TB2H26CC000000",
    mileage: 19090,
    "mileage-at-oil-change": 18923,
    "location-timestamp": "2018-08-01T22:46:12.000Z",
    latitude: 51.4972997,
    longitude: -0.0955459,
  },
  {
    vin: "19UYA31581L000000",
    mileage: 8407,
    "mileage-at-oil-change": 8329,
    "location-timestamp": "2018-08-02T18:14:45.000Z",
    latitude: 51.4704679,
    longitude: -0.1176902,
  },
];

/**
 * The chapter's TRUCK_ARRIVES record as a producer may send it: keys in
 * another order than the wire format's listing, a timestamp without
 * milliseconds.
 */
export const CHAPTER_RECORD =
  '{"event":"TRUCK_ARRIVES","location":{"elevation":7,"latitude":51.522834,"longitude":-0.081813},' +
  '"timestamp":"2018-01-12T12:42:00Z","vehicle":{"mileage":33207,"vin":"1HGCM82633A004352"}}';
