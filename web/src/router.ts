// The screens and who may open them; App.vue shows a clear refusal to anyone else.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import type { Role } from "./api/types";
import { homeOf, restore, session } from "./session";

declare module "vue-router" {
  interface RouteMeta { roles?: Role[]; public?: boolean }
}

const RESIDENT: Role[] = ["resident"];
const VOLUNTEER: Role[] = ["volunteer", "team_leader"];
const STATION: Role[] = ["station_operator"];
const DISPATCH: Role[] = ["dispatcher", "district_admin"];
const DISTRICT: Role[] = ["district_admin"];

const routes: RouteRecordRaw[] = [
  { path: "/", component: { render: () => null } },
  { path: "/sign-in", component: () => import("./views/SignIn.vue"), meta: { public: true } },
  { path: "/resident", component: () => import("./views/resident/MenuPage.vue"), meta: { roles: RESIDENT } },
  { path: "/resident/order/:code", component: () => import("./views/resident/PlaceOrder.vue"), meta: { roles: RESIDENT } },
  { path: "/resident/orders", component: () => import("./views/resident/MyOrders.vue"), meta: { roles: RESIDENT } },
  { path: "/resident/orders/:id", component: () => import("./views/resident/FollowOrder.vue"), meta: { roles: RESIDENT } },
  { path: "/resident/surveys", component: () => import("./views/resident/Surveys.vue"), meta: { roles: RESIDENT } },
  { path: "/resident/activities", component: () => import("./views/resident/Activities.vue"), meta: { roles: RESIDENT } },
  { path: "/volunteer", component: () => import("./views/volunteer/Offers.vue"), meta: { roles: VOLUNTEER } },
  { path: "/volunteer/services", component: () => import("./views/volunteer/Services.vue"), meta: { roles: VOLUNTEER } },
  { path: "/volunteer/activities", component: () => import("./views/volunteer/Activities.vue"), meta: { roles: VOLUNTEER } },
  { path: "/volunteer/hours", component: () => import("./views/volunteer/Hours.vue"), meta: { roles: VOLUNTEER } },
  { path: "/volunteer/certificate", component: () => import("./views/volunteer/Certificate.vue"), meta: { roles: VOLUNTEER } },
  { path: "/station", component: () => import("./views/station/Orders.vue"), meta: { roles: STATION } },
  { path: "/station/new", component: () => import("./views/station/NewOrder.vue"), meta: { roles: STATION } },
  { path: "/station/orders/:id", component: () => import("./views/station/OrderDetail.vue"), meta: { roles: STATION } },
  { path: "/station/follow-ups", component: () => import("./views/station/FollowUps.vue"), meta: { roles: STATION } },
  { path: "/station/surveys", component: () => import("./views/station/Surveys.vue"), meta: { roles: STATION } },
  { path: "/station/activities", component: () => import("./views/station/Activities.vue"), meta: { roles: STATION } },
  { path: "/station/activities/:id", component: () => import("./views/station/ActivitySheet.vue"), meta: { roles: STATION } },
  { path: "/station/volunteers", component: () => import("./views/station/Volunteers.vue"), meta: { roles: STATION } },
  { path: "/station/honours", component: () => import("./views/station/Honours.vue"), meta: { roles: STATION } },
  { path: "/station/organisations", component: () => import("./views/organisations/Organisations.vue"), meta: { roles: STATION } },
  { path: "/station/organisations/:id", component: () => import("./views/organisations/Organisation.vue"), meta: { roles: STATION } },
  { path: "/district", component: () => import("./views/district/Appraisal.vue"), meta: { roles: DISTRICT } },
  { path: "/district/nominations/:id", component: () => import("./views/district/Nomination.vue"), meta: { roles: DISTRICT } },
  { path: "/district/honours", component: () => import("./views/district/Honours.vue"), meta: { roles: DISTRICT } },
  { path: "/district/organisations", component: () => import("./views/organisations/Organisations.vue"), meta: { roles: DISTRICT } },
  { path: "/district/organisations/:id", component: () => import("./views/organisations/Organisation.vue"), meta: { roles: DISTRICT } },
  { path: "/honours", component: () => import("./views/honours/Board.vue"), meta: { public: true } },
  { path: "/dispatch", component: () => import("./views/dispatch/Queue.vue"), meta: { roles: DISPATCH } },
  { path: "/dispatch/orders/:id", component: () => import("./views/dispatch/Case.vue"), meta: { roles: DISPATCH } },
  { path: "/dispatch/fairness", component: () => import("./views/dispatch/FairnessReport.vue"), meta: { roles: DISPATCH } },
  { path: "/:rest(.*)*", component: () => import("./views/NotFound.vue"), meta: { public: true } },
];

export const router = createRouter({ history: createWebHistory(), routes });

let restored = false;
router.beforeEach(async (to) => {
  if (!restored) {
    restored = true;
    const hash = new URLSearchParams(location.hash.slice(1));
    if (!session.principal && !hash.get("token")) await restore();
  }
  if (to.meta.public) return true;
  if (!session.principal) return { path: "/sign-in", query: to.path === "/" ? {} : { next: to.fullPath } };
  if (to.path === "/") return homeOf(session.principal.role);
  return true;  // a role outside to.meta.roles sees App.vue's refusal, not a blank page
});
