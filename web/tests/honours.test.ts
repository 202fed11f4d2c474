import { describe, expect, it } from "vitest";
import { type Titles, blankTitle, missingTitle, titleBody, titleName } from "../src/api/honours";
import { i18n } from "../src/i18n";

const TITLES: Titles = { titles: { good_person: "身边好人", lei_feng: "学雷锋志愿服务四个优秀" },
  lei_feng_kinds: { volunteer: "最美志愿者" }, district_titles: ["北疆楷模"], notice_days: 7 };

describe("titleName", () => {
  it("names one of the six titles", () => {
    expect(titleName(TITLES, { title: "good_person", lei_feng_kind: null, district_title: null })).toBe("身边好人");
  });
  it("adds the 学雷锋 kind", () => {
    expect(titleName(TITLES, { title: "lei_feng", lei_feng_kind: "volunteer", district_title: null }))
      .toBe("学雷锋志愿服务四个优秀·最美志愿者");
  });
  it("uses the district's own title as it is", () => {
    expect(titleName(TITLES, { title: "district", lei_feng_kind: null, district_title: "北疆楷模" })).toBe("北疆楷模");
  });
  it("shows the code before the titles are loaded", () => {
    expect(titleName(null, { title: "good_person", lei_feng_kind: null, district_title: null })).toBe("good_person");
  });
});

describe("titleName in English", () => {
  it("names the title and its kind in the reader's language", () => {
    i18n.global.locale.value = "en";
    try {
      expect(titleName(TITLES, { title: "lei_feng", lei_feng_kind: "volunteer", district_title: null }))
        .toBe('Lei Feng Volunteer Service "Four Excellences"·Finest Volunteer');
      expect(titleName(TITLES, { title: "district", lei_feng_kind: null, district_title: "北疆楷模" })).toBe("北疆楷模");
    } finally {
      i18n.global.locale.value = "zh";
    }
  });
});

describe("a title form", () => {
  it("names the first field the page can refuse itself", () => {
    expect(missingTitle(blankTitle())).toBe("title");
    expect(missingTitle({ ...blankTitle(), title: "lei_feng" })).toBe("lei_feng_kind");
    expect(missingTitle({ ...blankTitle(), title: "district" })).toBe("district_title");
    expect(missingTitle({ ...blankTitle(), title: "good_person" })).toBeNull();
  });
  it("sends a kind or a district title only with its title, and no blank volunteer", () => {
    const body = titleBody({ ...blankTitle(), title: "good_person", lei_feng_kind: "volunteer",
      district_title: "北疆楷模", holder_name: "张三", volunteer_id: "  " });
    expect(body).toMatchObject({ title: "good_person", lei_feng_kind: null, district_title: null,
      holder_name: "张三", volunteer_id: null, level: "district" });
  });
});
