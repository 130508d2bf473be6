"""Per-turn latency of the agent over realistic conversations, printed as percentiles."""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from agent.messages import Incoming
from agent.runtime import create_agent
from knowledge.base import KnowledgeBase
from tools.db.engine import make_engine
from tools.db.metadata import import_all_models
from tools.settings import Settings

# Conversations as citizens write them; "?" turns go to the knowledge base.
CONVERSATIONS: list[list[str]] = [
    ["Hi", "mere bete ka birth certificate chahiye", "Aarav", "20 november", "hospital",
     "AIIMS, Ansari Nagar", "Ravi Kumar", "Sunita Devi", "pita", "2"],
    ["नमस्ते", "मुझे जाति प्रमाण पत्र चाहिए", "सुरेश यादव", "राम यादव", "01/01/1990", "OBC",
     "यादव", "मकान 5, महरौली", "दक्षिण", "1985"],
    ["Hello", "I need a learner's licence", "Rahul Verma", "12/05/2000", "LMV",
     "Flat 7, Vasant Kunj", "B+"],
    ["shaadi ka certificate chahiye", "hindu marriage act", "5 march 2025", "Arya Samaj Mandir",
     "status", "English please", "Ravi Kumar"],
]
QUESTIONS = ["birth certificate ke liye kaun se documents chahiye?",
             "संपत्ति कर में छूट कब तक मिलती है?",
             "What is the fee for a learner's licence?"]


@dataclass
class LatencyReport:
    """Per-turn latencies in milliseconds."""

    form_turns: list[float]
    question_turns: list[float]

    @staticmethod
    def percentile(values: list[float], share: float) -> float:
        """The `share` percentile (0–1) of the values, by nearest rank."""
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(rounds: int = 3, with_knowledge: bool = True) -> LatencyReport:
    """Run the conversations `rounds` times with the offline policy; time every turn."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), kb_dir=Path(folder) / "kb")
        import_all_models()
        from sqlmodel import SQLModel

        SQLModel.metadata.create_all(make_engine(settings.resolved_database_url))
        knowledge = None
        if with_knowledge:
            knowledge = KnowledgeBase.open(settings)
            knowledge.add_paths([settings.kb_sample_dir])
        agent = create_agent(settings, knowledge=knowledge, policy="offline",
                             checkpoint_location=str(Path(folder) / "checkpoints.db"))
        form: list[float] = []
        questions: list[float] = []
        for round_index in range(rounds):
            for index, conversation in enumerate(CONVERSATIONS):
                citizen = f"91980000{round_index:02d}{index:02d}"
                for turn, text in enumerate(conversation):
                    form.append(_timed(agent, citizen, f"{citizen}-{turn}", text))
                if with_knowledge:
                    for turn, text in enumerate(QUESTIONS):
                        questions.append(_timed(agent, citizen, f"{citizen}-q{turn}", text))
        if knowledge is not None:
            knowledge.close()
        return LatencyReport(form_turns=form, question_turns=questions)


def _timed(agent: object, citizen: str, message_id: str, text: str) -> float:
    incoming = Incoming(message_id=message_id, citizen_id=citizen, text=text)
    started = time.perf_counter()
    agent.handle_turn(incoming)  # type: ignore[attr-defined]
    return (time.perf_counter() - started) * 1000


def summary(report: LatencyReport) -> list[tuple[str, int, float, float, float]]:
    """Rows of (kind, turns, p50, p95, mean) in milliseconds."""
    rows = []
    for kind, values in (("form turns (no retrieval)", report.form_turns),
                         ("question turns (retrieval)", report.question_turns)):
        if values:
            rows.append((kind, len(values), LatencyReport.percentile(values, 0.5),
                         LatencyReport.percentile(values, 0.95), statistics.fmean(values)))
    return rows
