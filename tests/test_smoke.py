import labnn
from labnn.data import generate_xor_easy


def test_lab_network_learns_xor():
    X, y = generate_xor_easy()
    net = labnn.lab_network(seed=0)
    history = net.fit(X, y, epochs=5000)
    assert history.final_accuracy == 1.0
