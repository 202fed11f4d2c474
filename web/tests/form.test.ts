import { describe, expect, it, vi } from "vitest";

// The form's messages need no browser: stand in for the i18n module (it reads localStorage).
vi.mock("../src/i18n", () => ({ i18n: { global: { t: (k: string) => k, te: () => false } } }));
const { useForm } = await import("../src/composables/form");
const { ApiError } = await import("../src/api/http");

describe("a form", () => {
  it("shows a refusal by its field, then sends again once the person fixes it", async () => {
    const form = useForm(["chosen", "text"]);
    const refused = await form.submit(() => Promise.reject(new ApiError(422, "chosen: choose at least one")));
    expect(refused).toBeUndefined();
    expect(form.errors.chosen?.msg).toBe("choose at least one");
    const sent = await form.submit(() => Promise.resolve("answered"));
    expect(sent).toBe("answered");
    expect(form.errors.chosen).toBeUndefined();
  });

  it("sends nothing after the page's own check refused a field, and judges the next try afresh", async () => {
    const form = useForm(["stars"]);
    const work = vi.fn(() => Promise.resolve("rated"));
    form.refuse("stars", "pick the stars");
    expect(await form.submit(work)).toBeUndefined();
    expect(work).not.toHaveBeenCalled();
    expect(await form.submit(work)).toBe("rated");
  });

  it("puts a refusal that names no field above the button", async () => {
    const form = useForm(["note"]);
    await form.submit(() => Promise.reject(new ApiError(409, "follow-up fu-1 is resolved")));
    expect(form.general.value).toEqual(["HTTP 409：follow-up fu-1 is resolved"]);
  });
});
