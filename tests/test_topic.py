import logging
from collections import Counter

import pytest

from pipeline.resources import CORPORA, MODELS
from pipeline.topic import TOPICS, TopicClassifier
from pipeline.train.subject import read_jsonl
from pipeline.train.topic import train_topic

ANNOTATIONS = CORPORA / "annotations" / "topics.jsonl"


@pytest.fixture(scope="session")
def classifier(segmenter):
    loaded = TopicClassifier.load(MODELS, segmenter)
    assert loaded is not None, "the topic model is part of the repository"
    return loaded


@pytest.mark.parametrize("sentence, expected", [
    ("全年城镇新增就业50万人，开展职业技能培训20万人次。", "就业创业"),
    ("深入打好蓝天保卫战，PM2.5平均浓度下降5%。", "生态环境"),
    ("区人武部组织民兵开展国防教育，全年输送新兵30名。", "国防与双拥"),
    ("春节期间走访慰问重点优抚对象，发放优待金。", "优抚安置"),
    ("新建改扩建中小学校25所，新增学位2万个。", "教育"),
    ("推进紧密型县域医共体建设，提升基层医疗服务能力。", "医疗卫生"),
    ("提高城乡低保标准，完善分层分类社会救助体系。", "社会保障"),
    ("新建高标准农田100万亩，粮食产量稳定在600亿斤以上。", "乡村振兴"),
    ("加强地方政府债务管理，坚决遏制新增隐性债务。", "财政资金"),
    ("改造城镇老旧小区1200个，推进城中村改造。", "住房与城建"),
    ("主动接受人大监督和政协民主监督，办理人大代表建议500件。", "政府建设"),
    ("加强文物保护利用，办好全民健身赛事活动。", "文化"),
])
def test_predicts_the_policy_area(classifier, sentence, expected):
    assert classifier.predict([sentence]) == [expected]


def test_predict_batches_and_accepts_nothing(classifier):
    labels = classifier.predict(["一、2025年工作回顾", "（三）持之以恒抓好“三农”工作", "各位代表："])
    assert len(labels) == 3 and set(labels) <= set(TOPICS)
    assert classifier.predict([]) == []


def test_annotations_cover_every_topic():
    counts = Counter(r["topic"] for r in read_jsonl(ANNOTATIONS))
    assert sum(counts.values()) >= 600
    assert set(counts) == set(TOPICS)
    assert min(counts.values()) >= 25


def test_training_twice_gives_the_same_metrics(tmp_path):
    records = read_jsonl(ANNOTATIONS)
    small = [r for topic in TOPICS for r in [x for x in records if x["topic"] == topic][:8]]
    first = train_topic(small, tmp_path / "a", seed=0, folds=4)
    second = train_topic(small, tmp_path / "b", seed=0, folds=4)
    assert first == second
    assert set(first["per_label_f1"]) == set(TOPICS)


def test_unknown_labels_are_refused(tmp_path):
    with pytest.raises(ValueError, match="not in TOPICS"):
        train_topic([{"source": "x", "start": 0, "end": 2, "text": "体育", "topic": "体育"}], tmp_path)


def test_missing_model_gives_none_and_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="pipeline.topic"):
        assert TopicClassifier.load(tmp_path) is None
    assert "no topic model" in caplog.text
