// A list the service answers page by page (items, total, page, page_size), with its page count.
import { computed, ref, type Ref } from "vue";
import { api, type Page, type Query } from "../api/http";

/** ``path`` read a page at a time with ``filters()``; a failure lands in ``error``. */
export function usePaged<T>(path: string, filters: () => Query, error: Ref<unknown>, pageSize = 20) {
  const list = ref({ items: [], total: 0, page: 1, page_size: pageSize }) as Ref<Page<T>>;
  const pages = computed(() => Math.max(1, Math.ceil(list.value.total / list.value.page_size)));
  async function load(page = 1): Promise<void> {
    try {
      list.value = await api<Page<T>>(path, { query: { ...filters(), page, page_size: pageSize } });
    } catch (caught) { error.value = caught; }
  }
  return { list, pages, load };
}
