// The network's units by name (stats' public list), loaded once, for labels and choices.
import { reactive } from "vue";
import { STATS, api } from "../api/http";
import type { Unit, UnitRef } from "../api/types";
import { lang } from "../i18n";

export const units = reactive({ byCode: {} as Record<string, Unit>, list: [] as Unit[], loaded: false });
let loading: Promise<void> | null = null;

/** Load the units once (a failure leaves codes showing instead of names). */
export function loadUnits(): Promise<void> {
  loading ??= api<Unit[]>(`${STATS}/public/units`).then((list) => {
    units.list = list;
    units.byCode = Object.fromEntries(list.map((u) => [u.code, u]));
    units.loaded = true;
  }).catch(() => { loading = null; });
  return loading;
}

/** The unit's name in the reader's language, else its code. */
export function unitName(code: string | null | undefined): string {
  if (!code) return "";
  const unit = units.byCode[code];
  if (!unit) return code;
  return (lang() === "en" && unit.name_en) || unit.name;
}

/** The centre a station or institute belongs to (walking up the tree), or null. */
export function centreOf(code: string | null | undefined): string | null {
  for (let unit = code ? units.byCode[code] : undefined; unit; unit = unit.parent ? units.byCode[unit.parent] : undefined) {
    if (unit.level === "centre") return unit.code;
  }
  const centres = units.list.filter((u) => u.level === "centre");
  return centres.length === 1 ? centres[0].code : null;
}

/** The unit reference of a unit code: its institute and centre found up the tree. */
export function unitRefOf(code: string): UnitRef {
  const unit = units.byCode[code];
  if (unit?.level === "station") return { centre: centreOf(code) ?? "", institute: unit.parent, station: code };
  if (unit?.level === "institute") return { centre: centreOf(code) ?? "", institute: code };
  return { centre: code };
}

void loadUnits();
