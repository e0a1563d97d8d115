/**
 * The map: trucks and depots on an equirectangular projection fitted to
 * them, with a labelled grid of latitudes and longitudes. Drawn from scratch
 * on every change (a few hundred elements at most) and at every resize, in
 * the SVG's own pixel size, so that labels keep a readable size on a phone
 * and on a wall screen alike. Its text alternative, the SVG's <desc>, sums
 * up what it shows; the table has every detail.
 *
 * @module
 */
import type { TruckView } from "../wire.ts";
import { DEPOTS } from "./depots.ts";
import { svg } from "./dom.ts";
import { shortVin } from "./format.ts";
import { fit, type LatLon, niceTicks } from "./projection.ts";

/** Room kept free around the points for their labels, in SVG units. */
const PADDING = 56;

type Located = TruckView & LatLon;

export class TruckMap {
  #root: SVGSVGElement;
  #trucks: readonly TruckView[] = [];

  constructor(root: SVGSVGElement) {
    this.#root = root;
    new ResizeObserver(() => drawMap(this.#root, this.#trucks)).observe(root);
  }

  update(trucks: readonly TruckView[]): void {
    this.#trucks = trucks;
    drawMap(this.#root, trucks);
  }
}

/** Redraws the map inside `root` at its current size and updates its description. */
function drawMap(root: SVGSVGElement, trucks: readonly TruckView[]): void {
  const { width, height } = root.getBoundingClientRect();
  if (width === 0 || height === 0) return; // not laid out (hidden): the next resize draws it
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const frame = { width, height, padding: PADDING };
  const located = trucks.filter((t): t is Located => t.latitude !== null && t.longitude !== null);
  const projection = fit([...located, ...DEPOTS], frame);
  const { project } = projection;
  const layer = svg("g", { class: "layer" });

  layer.append(svg("rect", { class: "land", x: 0, y: 0, width: width, height: height }));
  for (const lat of niceTicks(projection.south, projection.north, 4)) {
    const { y } = project({ latitude: lat, longitude: projection.west });
    layer.append(
      svg("line", { class: "grid", x1: 0, x2: width, y1: y, y2: y }),
      svg("text", { class: "tick", x: 4, y: y - 4 }, `${lat.toFixed(3)}°`),
    );
  }
  for (const lon of niceTicks(projection.west, projection.east, 6)) {
    const { x } = project({ latitude: projection.south, longitude: lon });
    layer.append(
      svg("line", { class: "grid", x1: x, x2: x, y1: 0, y2: height }),
      svg("text", { class: "tick", x: x + 4, y: height - 6 }, `${lon.toFixed(3)}°`),
    );
  }

  for (const depot of DEPOTS) {
    const { x, y } = project(depot);
    layer.append(
      svg(
        "g",
        { class: "depot" },
        svg("rect", { x: x - 10, y: y - 10, width: 20, height: 20 }),
        svg("text", { x, y: y + 27, "text-anchor": "middle" }, depot.name),
      ),
    );
  }

  for (const truck of located) {
    const { x, y } = project(truck);
    const label = `${shortVin(truck.vin)}${truck.due ? " (due)" : ""}`;
    layer.append(
      svg(
        "g",
        { class: truck.due ? "truck due" : "truck" },
        svg("circle", { cx: x, cy: y, r: truck.due ? 8 : 6.5 }),
        svg("text", { x: x + 11, y: y - 9 }, label),
      ),
    );
  }

  root.querySelector("g.layer")?.remove();
  root.append(layer);
  const desc = root.querySelector("desc");
  if (desc !== null) desc.textContent = describe(trucks, located);
}

/** The map in words, for screen readers and anyone who cannot see it. */
export function describe(trucks: readonly TruckView[], located: readonly Located[]): string {
  const due = located.filter((t) => t.due).length;
  const parts = [
    `${located.length} of ${trucks.length} trucks have a reported position` +
      (due > 0 ? `, ${due} of them due for an oil change` : "") +
      ".",
  ];
  if (located.length > 0) {
    const lats = located.map((t) => t.latitude);
    const lons = located.map((t) => t.longitude);
    parts.push(
      `They lie between latitudes ${Math.min(...lats).toFixed(3)} and ${Math.max(...lats).toFixed(3)}` +
        ` and longitudes ${Math.min(...lons).toFixed(3)} and ${Math.max(...lons).toFixed(3)}.`,
    );
  }
  parts.push(`Depots shown for reference: ${DEPOTS.map((d) => d.name).join(", ")}.`);
  return parts.join(" ");
}
