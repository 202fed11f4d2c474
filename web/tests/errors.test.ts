import { describe, expect, it } from "vitest";
import { fieldFor, pathOf, sortDetail } from "../src/api/errors";

const ORDER_FIELDS = ["need", "place", "window.start", "window.end", "window", "audience_size",
  "contact.phone", "answers.attendees"];

describe("a 422 from FastAPI", () => {
  it("puts each problem next to the field its loc names", () => {
    const sorted = sortDetail([
      { loc: ["body", "need"], msg: "String should have at least 1 character", type: "string_too_short",
        ctx: { min_length: 1 } },
      { loc: ["body", "window"], msg: "Value error, end must be after start", type: "value_error" },
      { loc: ["body", "contact", "phone"], msg: "Value error, not a mainland mobile", type: "value_error" },
    ], ORDER_FIELDS);
    expect(Object.keys(sorted.fields)).toEqual(["need", "window", "contact.phone"]);
    expect(sorted.fields.window.msg).toBe("end must be after start");
    expect(sorted.fields.need.ctx).toEqual({ min_length: 1 });
    expect(sorted.general).toEqual([]);
  });

  it("keeps a problem of a field the form lacks as a general message naming it", () => {
    const sorted = sortDetail([{ loc: ["body", "unit", "station"], msg: "Field required", type: "missing" }],
      ORDER_FIELDS);
    expect(sorted.fields).toEqual({});
    expect(sorted.general).toEqual(["unit.station: Field required"]);
  });

  it("keeps the first problem of a field when several name it", () => {
    const sorted = sortDetail([
      { loc: ["body", "window", "start"], msg: "first", type: "missing" },
      { loc: ["body", "window", "start"], msg: "second", type: "missing" },
    ], ORDER_FIELDS);
    expect(sorted.fields["window.start"].msg).toBe("first");
  });
});

describe("a service's own refusal", () => {
  it("goes to the field its message names first", () => {
    expect(sortDetail("chosen: not on this survey: dance", ["chosen", "text"]).fields.chosen.msg)
      .toBe("not on this survey: dance");
    const answer = sortDetail("answer to 'attendees' (预计参加人数) is required", ORDER_FIELDS);
    expect(Object.keys(answer.fields)).toEqual(["answers.attendees"]);
  });

  it("stays general when it names no field of the form", () => {
    const sorted = sortDetail("order ord-1 was completed already", ORDER_FIELDS);
    expect(sorted).toEqual({ fields: {}, general: ["order ord-1 was completed already"] });
    expect(sortDetail("station: outside", ["need"]).general).toEqual(["station: outside"]);
  });
});

describe("paths", () => {
  it("drop the part of the request and find the nearest known parent", () => {
    expect(pathOf(["body", "answers", "attendees"])).toBe("answers.attendees");
    expect(pathOf(["query", "status", 0])).toBe("status.0");
    expect(fieldFor("window.end", ["window"])).toBe("window");
    expect(fieldFor("unit.centre", ["window"])).toBeNull();
  });
});
