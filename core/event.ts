/**
 * The five OOPS event types, exactly as they travel on the wire (one JSON
 * object per Kinesis record), after validation by {@link decode}.
 *
 * @module
 */

/** A truck, identified by its VIN, with the odometer reading at the time of the event. */
export interface Vehicle {
  /** 17 characters of the ISO 3779 alphabet (digits and A-Z without I, O, Q). */
  readonly vin: string;
  /** Odometer reading in miles: a non-negative safe integer (0 to 2^53 - 1). */
  readonly mileage: number;
}

/**
 * Where an event happened. Every number, here and in {@link Vehicle}, is one
 * DynamoDB can store: 0, or a magnitude from 1e-130 to below 1e126.
 */
export interface Location {
  /** Degrees north, in [-90, 90]. */
  readonly latitude: number;
  /** Degrees east, in [-180, 180]. */
  readonly longitude: number;
  /** Metres above sea level: any finite number. */
  readonly elevation: number;
}

/** A mechanic or a driver. */
export interface Employee {
  /** A UUID. */
  readonly id: string;
  readonly jobRole: string;
}

/** A parcel. */
export interface Package {
  /** A UUID. */
  readonly id: string;
}

/** The recipient of a parcel. */
export interface Customer {
  /** A UUID. */
  readonly id: string;
  readonly isVip: boolean;
}

/** Fields every event carries. */
interface Timed {
  /** Event time in UTC, always `YYYY-MM-DDTHH:mm:ss.sssZ` (fixed width: string order is time order). */
  readonly timestamp: string;
}

/** A truck arrives at a location. */
export interface TruckArrives extends Timed {
  readonly event: "TRUCK_ARRIVES";
  readonly vehicle: Vehicle;
  readonly location: Location;
}

/** A truck departs from a location. */
export interface TruckDeparts extends Timed {
  readonly event: "TRUCK_DEPARTS";
  readonly vehicle: Vehicle;
  readonly location: Location;
}

/** A mechanic changes a truck's oil. */
export interface MechanicChangesOil extends Timed {
  readonly event: "MECHANIC_CHANGES_OIL";
  readonly employee: Employee;
  readonly vehicle: Vehicle;
}

/** A driver delivers a package to a customer. */
export interface DriverDeliversPackage extends Timed {
  readonly event: "DRIVER_DELIVERS_PACKAGE";
  readonly employee: Employee;
  readonly package: Package;
  readonly customer: Customer;
  readonly location: Location;
}

/** A driver finds nobody at home. */
export interface DriverMissesCustomer extends Timed {
  readonly event: "DRIVER_MISSES_CUSTOMER";
  readonly employee: Employee;
  readonly package: Package;
  readonly customer: Customer;
  readonly location: Location;
}

/** Any OOPS event; `event` tells which. */
export type OopsEvent =
  | TruckArrives
  | TruckDeparts
  | MechanicChangesOil
  | DriverDeliversPackage
  | DriverMissesCustomer;

/** The `event` names, in the order of the design card. */
export const EVENT_NAMES = [
  "TRUCK_ARRIVES",
  "TRUCK_DEPARTS",
  "MECHANIC_CHANGES_OIL",
  "DRIVER_DELIVERS_PACKAGE",
  "DRIVER_MISSES_CUSTOMER",
] as const satisfies readonly OopsEvent["event"][];

/** One of {@link EVENT_NAMES}. */
export type EventName = OopsEvent["event"];
