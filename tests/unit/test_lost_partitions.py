"""Which partitions lost what the broker acknowledged, from two looks at the broker."""
from shared.kafka import BrokerLook
from shared.redrive import lost_partitions

T0, T1, T3 = ("t", 0), ("t", 1), ("t", 3)


def look(ends, cluster="c1", topics=None):
    return BrokerLook(cluster, topics if topics is not None else {"t": "id1"}, ends)


def test_partitions_that_kept_or_grew_their_end_lost_nothing():
    assert lost_partitions([T0, T1], look({T0: 5, T1: 2}), look({T0: 5, T1: 1})) == []


def test_an_end_offset_that_went_back_since_the_look_before_lost_records():
    assert lost_partitions([T0, T1], look({T0: 3, T1: 2}), look({T0: 5, T1: 2})) == [T0]


def test_a_missing_partition_or_topic_or_an_empty_one_lost_what_was_acknowledged_even_at_the_first_look():
    assert lost_partitions([T0, T1, T3, ("u", 0)], look({T0: 0, T1: 4}), None) == [T0, T3, ("u", 0)]


def test_a_new_cluster_or_a_recreated_topic_lost_everything_on_it():
    assert lost_partitions([T0, T1], look({T0: 9, T1: 9}, cluster="c2"), look({T0: 1, T1: 1})) == [T0, T1]
    recreated = look({T0: 9, ("u", 0): 9}, topics={"t": "id2", "u": "u1"})
    before = look({T0: 1, ("u", 0): 1}, topics={"t": "id1", "u": "u1"})
    assert lost_partitions([T0, ("u", 0)], recreated, before) == [T0]


def test_a_look_survives_being_kept_as_text():
    original = look({T0: 3, ("u", 2): 7}, topics={"t": "id1", "u": "u1"})
    assert BrokerLook.loads(original.dumps()) == original
