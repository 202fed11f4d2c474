// A form's submit: busy while it runs, and the service's refusal next to each field it names.
import { reactive, ref } from "vue";
import type { Problem } from "../api/errors";
import { ApiError } from "../api/http";
import { i18n } from "../i18n";

/** A refusal as one line a person reads: the kind of refusal, then what the service said. */
export function refusalText(error: unknown): string {
  const t = i18n.global.t;
  if (!(error instanceof ApiError)) return String(error);
  if (error.status === 0) return t("error.network");
  const detail = typeof error.detail === "string" ? error.detail : JSON.stringify(error.detail);
  const kind = i18n.global.te(`error.${error.status}`) ? t(`error.${error.status}`) : `HTTP ${error.status}`;
  return `${kind}：${detail}`;
}

export function useForm(fields: readonly string[] | (() => readonly string[])) {
  const errors = reactive<Record<string, Problem | undefined>>({});
  const general = ref<string[]>([]);
  const busy = ref(false);
  let refusedHere = false;  // a check of the page's own since the last clear(): send nothing

  function clear(): void {
    for (const key of Object.keys(errors)) errors[key] = undefined;
    general.value = [];
    refusedHere = false;
  }

  /** Mark ``field`` wrong before anything is sent (a check the page can make itself). */
  function refuse(field: string, msg: string): void {
    errors[field] = { type: "refused", msg };
    refusedHere = true;
  }

  /** Run ``work`` unless the page refused a field; the service's answer replaces old messages. */
  async function submit<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (refusedHere) {
      refusedHere = false;  // shown; the next try is judged afresh
      return undefined;
    }
    clear();
    busy.value = true;
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const sorted = error.sorted(typeof fields === "function" ? fields() : fields);
        Object.assign(errors, sorted.fields);
        general.value = sorted.general;
      } else {
        general.value = [refusalText(error)];
      }
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { errors, general, busy, submit, clear, refuse };
}
