"""The LangGraph graph of one conversation turn: understand → policy ⇄ tools → respond."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from pydantic import TypeAdapter

from agent.i18n import text
from agent.limits import choices_of, fit
from agent.messages import Button, ButtonsReply, Reply
from agent.policies.base import Policy, PolicyContext
from agent.state import ConversationState
from agent.tool_executor import ToolExecutor, needs_confirmation
from agent.understand import understand

logger = logging.getLogger(__name__)
REPLY = TypeAdapter(Reply)


@dataclass
class GraphDeps:
    """What the nodes need: the policy, the context it reads, the tools, the step limit."""

    policy: Policy
    context: PolicyContext
    executor: ToolExecutor
    max_steps: int


def build_graph(deps: GraphDeps, checkpointer: BaseCheckpointSaver[Any] | None) -> Any:
    """Compile the turn graph with a checkpointer, one thread per citizen."""

    def understand_node(state: ConversationState) -> dict[str, Any]:
        if state["incoming"]["message_id"] == state.get("last_message_id"):
            # A redelivered message: the same replies again, nothing done twice.
            return {"replies": state.get("last_replies", []),
                    "results": state.get("last_results", []), "calls": [], "steps": 0,
                    "understanding": {"intent": "duplicate"}}
        return understand(state, deps.context.catalog)

    def policy_node(state: ConversationState) -> dict[str, Any]:
        steps = state.get("steps", 0) + 1
        if steps > deps.max_steps:
            logger.warning("turn stopped after %d policy steps", deps.max_steps)
            body = text("step_limit", state.get("language") or "hi-Latn")
            menu = Button(id="menu", title=text("button_menu", state.get("language", "en")))
            reply = ButtonsReply(body=body, buttons=[menu])
            return {"steps": steps, "replies": [reply.model_dump()], "calls": []}
        decision = deps.policy.decide(state, deps.context)
        updates: dict[str, Any] = dict(decision.updates)
        updates["steps"] = steps
        updates["calls"] = [
            {"name": c.name, "arguments": c.arguments, "confirmed": c.confirmed}
            for c in decision.calls
        ]
        updates["replies"] = [r.model_dump() for r in decision.replies]
        if not updates.get("policy_used") and not state.get("policy_used"):
            updates["policy_used"] = deps.policy.name
        return updates

    def tools_node(state: ConversationState) -> dict[str, Any]:
        incoming = state["incoming"]
        results = list(state.get("results", []))
        for call in state.get("calls", []):
            name, arguments = call["name"], call.get("arguments", {})
            # Submitting, paying and cancelling wait for the citizen's Yes, whoever asked; an
            # event turn carries on what the citizen already confirmed (pay, then submit).
            confirmed = call.get("from_pending") or (
                call.get("confirmed") and incoming.get("kind") == "event"
            )
            if needs_confirmation(name) and not confirmed:
                return {"calls": [], "results": results,
                        "pending_call": {"name": name, "arguments": arguments},
                        "awaiting": "confirm",
                        "replies": [confirmation(name, arguments, state).model_dump()]}
            key = f"{incoming['message_id']}:{len(results)}"
            results.append(
                deps.executor.run(incoming["citizen_id"], name, arguments,
                                  idempotency_key=key, department=incoming.get("department"))
            )
        updates: dict[str, Any] = {"calls": [], "results": results}
        if any(call.get("from_pending") for call in state.get("calls", [])):
            updates["pending_call"] = None
        return updates

    def respond_node(state: ConversationState) -> dict[str, Any]:
        replies: list[Reply] = []
        offered: list[dict[str, Any]] = []
        for raw in state.get("replies", []):
            reply = REPLY.validate_python(raw)
            offered += [choice.model_dump() for choice in choices_of(reply)]
            replies += fit(reply)
        dumped = [r.model_dump() for r in replies]
        end_turn = getattr(deps.policy, "end_turn", None)
        memory = end_turn(state) if end_turn else {}
        return {**memory, "replies": dumped, "offered": offered,
                "last_message_id": state["incoming"]["message_id"],
                "last_replies": dumped, "last_results": state.get("results", [])}

    def after_understand(state: ConversationState) -> str:
        if state.get("understanding", {}).get("intent") == "duplicate":
            return "respond"
        return "tools" if state.get("calls") else "policy"

    def after_policy(state: ConversationState) -> str:
        return "tools" if state.get("calls") else "respond"

    def after_tools(state: ConversationState) -> str:
        # A confirmation question ends the turn; otherwise the policy reads the results.
        return "respond" if state.get("replies") else "policy"

    graph = StateGraph(ConversationState)
    graph.add_node("understand", understand_node)
    graph.add_node("policy", policy_node)
    graph.add_node("tools", tools_node)
    graph.add_node("respond", respond_node)
    graph.add_edge(START, "understand")
    # A confirmed Yes goes straight to the tools; a redelivered message straight to respond.
    graph.add_conditional_edges("understand", after_understand, ["policy", "tools", "respond"])
    # The policy either asks for tools or has written the replies.
    graph.add_conditional_edges("policy", after_policy, ["tools", "respond"])
    # Tools report back to the policy, unless they stopped to ask for confirmation.
    graph.add_conditional_edges("tools", after_tools, ["policy", "respond"])
    graph.add_edge("respond", END)
    return graph.compile(checkpointer=checkpointer)


def confirmation(name: str, arguments: dict[str, Any], state: ConversationState) -> Reply:
    """Ask Yes or No before a call that submits, pays or cancels."""
    language = state.get("language") or "hi-Latn"
    target = arguments.get("application_number") or arguments.get("upic") or ""
    body = text(f"confirm_tool_{name}", language, target=target)
    buttons = [Button(id="yes", title=text("button_yes", language)),
               Button(id="no", title=text("button_no", language))]
    return ButtonsReply(body=body, buttons=buttons)
