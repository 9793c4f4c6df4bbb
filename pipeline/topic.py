"""The policy area (topic) of a sentence or a section heading.

Labels, settled on the sentences of the seed page and the provincial reports:

- 国防与双拥: national defence, defence education, conscription, militia, 双拥 work and military-civil unity
- 优抚安置: benefits, care and resettlement of veterans, martyrs' families and other 优抚对象
- 就业创业: employment, unemployment, vocational training, business start-ups
- 教育: schools, universities, preschool, teachers, school places
- 医疗卫生: hospitals, public health, medical insurance, medicines, life expectancy
- 社会保障: pensions, social assistance, elderly care, childcare, disability, family support
- 经济发展: output, industry, investment, consumption, trade and opening-up, enterprises, energy, finance
- 财政资金: budget revenue and spending, taxes, government bonds and debt, transfer payments
- 科技创新: research, laboratories, patents, digital technology, talent
- 生态环境: pollution control, air and water quality, carbon, forestation, ecological protection
- 乡村振兴: agriculture, grain, farmland, villages, poverty-relapse prevention
- 社会治理: public safety, emergency and disaster response, petitions, grassroots governance, food safety,
  ethnic and religious affairs
- 文化: culture, heritage, tourism, sport, the arts
- 住房与城建: housing, real estate, urban renewal, urbanisation, transport and water infrastructure
- 政府建设: the rule of law in government, integrity, work style, supervision by the people's congress,
  government services
- 其他: greetings, titles, summaries and sentences that name no single area

A TF-IDF model over words (rjieba) and character 1-2-grams feeds a linear SVM; it is trained by
`pipeline.train.topic` on hand-labelled sentences.
"""
from __future__ import annotations

import logging
from pathlib import Path

from pipeline.segment import Segmenter

log = logging.getLogger(__name__)

TOPICS = (
    "国防与双拥", "优抚安置", "就业创业", "教育", "医疗卫生", "社会保障", "经济发展", "财政资金",
    "科技创新", "生态环境", "乡村振兴", "社会治理", "文化", "住房与城建", "政府建设", "其他",
)
MODEL_FILE = "classifier.joblib"


def words_joined(segmenter: Segmenter, sentences: list[str]) -> list[str]:
    """Each sentence as its words separated by spaces, the input the model was trained on."""
    out = []
    for sentence in sentences:
        out.append(" ".join(sentence[a:b] for a, b, _ in segmenter.tokens(sentence) if sentence[a:b].strip()))
    return out


def without_spaces(joined: str) -> str:
    """Character n-grams are taken over the sentence, not over the word separators."""
    return joined.replace(" ", "")


class TopicClassifier:
    """A trained topic model; load it once per process with `TopicClassifier.load`."""

    def __init__(self, model, segmenter: Segmenter):
        self.model = model
        self.segmenter = segmenter

    @classmethod
    def load(cls, models_dir: Path, segmenter: Segmenter | None = None) -> "TopicClassifier | None":
        path = Path(models_dir) / "topic" / MODEL_FILE
        if not path.exists():
            log.warning("no topic model at %s; facts and sections get no topic", path)
            return None
        import joblib

        return cls(joblib.load(path), segmenter or Segmenter())

    def predict(self, sentences: list[str]) -> list[str]:
        """One label of `TOPICS` per sentence (or heading), in one call."""
        if not sentences:
            return []
        return [str(label) for label in self.model.predict(words_joined(self.segmenter, sentences))]
