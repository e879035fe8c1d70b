"""Tests for stats.py. Run them with: python3 -m unittest -q"""

import unittest

import stats


class MeanTest(unittest.TestCase):
    def test_mean_of_integers(self):
        self.assertEqual(stats.mean([1, 2, 3, 4]), 2.5)

    def test_mean_of_one_value_is_that_value(self):
        self.assertEqual(stats.mean([7]), 7)

    def test_mean_of_no_values_is_an_error(self):
        with self.assertRaises(ValueError):
            stats.mean([])


class ModeTest(unittest.TestCase):
    def test_mode_is_the_most_common_value(self):
        self.assertEqual(stats.mode([1, 2, 2, 3]), 2)

    def test_ties_go_to_the_value_seen_first(self):
        self.assertEqual(stats.mode(["b", "a", "a", "b"]), "b")

    def test_mode_of_no_values_is_an_error(self):
        with self.assertRaises(ValueError):
            stats.mode([])


if __name__ == "__main__":
    unittest.main()
