// Dates, times and numbers as the reader writes them.
import { lang } from "./i18n";

const locale = () => (lang() === "en" ? "en-GB" : "zh-CN");

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(locale(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function time(iso: string): string {
  return new Date(iso).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}

/** A time window on one line: "12月5日 14:00–16:00". */
export function window(w: { start: string; end: string }): string {
  const sameDay = new Date(w.start).toDateString() === new Date(w.end).toDateString();
  return `${dateTime(w.start)}–${sameDay ? time(w.end) : dateTime(w.end)}`;
}

export function number(value: number, digits = 1): string {
  return value.toLocaleString(locale(), { maximumFractionDigits: digits });
}

/** "YYYY-MM-DD" of a Date in the browser's zone (for date inputs). */
export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** An aware ISO moment from a date input and a time input, in the browser's zone. */
export function moment(date: string, hhmm: string): string | null {
  if (!date || !hhmm) return null;
  const at = new Date(`${date}T${hhmm}`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
