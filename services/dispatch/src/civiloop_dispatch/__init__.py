"""The dispatch service. 部门派单: who serves each order, accept deadlines and escalation 站→所→中心."""
