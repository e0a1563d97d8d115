/**
 * The truck table: one row per truck, keyed by VIN, rebuilt only where a
 * truck changed (and then flashed, so a viewer sees what moved). Due trucks
 * say so in words ("Due"), the bar and colour only repeat it.
 *
 * @module
 */
import type { TruckView } from "../wire.ts";
import { html } from "./dom.ts";
import { miles, position, serviceFill, utcTime } from "./format.ts";

type Entry = { row: HTMLTableRowElement; key: string };

export class TruckTable {
  #body: HTMLTableSectionElement;
  #rows = new Map<string, Entry>();

  constructor(body: HTMLTableSectionElement) {
    this.#body = body;
  }

  /** Shows `trucks` in the given order; returns the VINs whose row changed. */
  update(trucks: readonly TruckView[], interval: number): string[] {
    const first = this.#rows.size === 0;
    const changed: string[] = [];
    const seen = new Set<string>();
    for (const truck of trucks) {
      seen.add(truck.vin);
      const key = JSON.stringify([truck, interval]);
      let entry = this.#rows.get(truck.vin);
      if (entry === undefined) {
        entry = { row: html("tr"), key: "" };
        this.#rows.set(truck.vin, entry);
      }
      if (entry.key !== key) {
        entry.key = key;
        entry.row.replaceChildren(...cells(truck, interval));
        entry.row.classList.toggle("due", truck.due);
        if (!first) {
          changed.push(truck.vin);
          flash(entry.row);
        }
      }
      this.#body.append(entry.row); // moves it into VIN order
    }
    for (const [vin, entry] of this.#rows) {
      if (!seen.has(vin)) {
        entry.row.remove();
        this.#rows.delete(vin);
      }
    }
    if (trucks.length === 0) {
      this.#body.replaceChildren(
        html("tr", {}, html("td", { colspan: "5", class: "empty" }, "No trucks in the table yet.")),
      );
    } else {
      this.#body.querySelector("td.empty")?.parentElement?.remove();
    }
    return changed;
  }
}

function cells(t: TruckView, interval: number): HTMLTableCellElement[] {
  const located = t.latitude !== null && t.longitude !== null;
  return [
    html("th", { scope: "row", class: "vin" }, t.vin),
    html("td", {}, service(t, interval)),
    html("td", { class: "num" }, t.mileage === null ? "—" : miles(t.mileage)),
    html(
      "td",
      {},
      located ? position(t.latitude as number, t.longitude as number) : "Not reported",
    ),
    html(
      "td",
      {},
      t.locationTimestamp === null
        ? "Not reported"
        : html("time", { datetime: t.locationTimestamp }, utcTime(t.locationTimestamp)),
    ),
  ];
}

/** The bar against the service interval, the miles, and the verdict in words. */
function service(t: TruckView, interval: number): HTMLElement {
  if (t.milesSinceOilChange === null) {
    return html("span", { class: "muted" }, "No oil change recorded");
  }
  const fill = html("span", { class: "fill" });
  // CSSOM, not a style attribute: the Content-Security-Policy allows no inline styles.
  fill.style.width = `${serviceFill(t.milesSinceOilChange, interval)}%`;
  return html(
    "span",
    { class: "service" },
    html("span", { class: "bar", "aria-hidden": "true" }, fill),
    html("span", { class: "num" }, miles(t.milesSinceOilChange)),
    " ", // so that the miles and the verdict read as two words, not "35 miOK"
    t.due
      ? html("strong", { class: "badge due" }, "Due")
      : html("span", { class: "badge ok" }, "OK"),
  );
}

/** Restarts the highlight animation of a changed row. */
function flash(row: HTMLTableRowElement): void {
  row.classList.remove("changed");
  void row.offsetWidth; // a reflow, so that re-adding the class restarts the animation
  row.classList.add("changed");
}
