// Exercise 07: plausible wrong solutions written from the statement (tests/graders/adversarial/07/) fail on every
// seed 1 … 200; independent correct ones pass every seed.
import { adversarialSuite } from './adversarial/suite';

adversarialSuite('07');
