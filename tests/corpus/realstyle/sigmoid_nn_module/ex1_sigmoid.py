# Style: a tutorial that reaches for the layer: sigmoid = nn.Sigmoid() (an instance, called like a function).
# Verdict, from the contract of exercise 1 ("do not call ... torch.nn.Sigmoid"): every value, dtype, extreme and
# gradient is right (it is torch's own sigmoid), and the rule is broken.
# Expected: loses sigmoid.own_code only; hint should name nn.Sigmoid.
import torch.nn as nn

sigmoid = nn.Sigmoid()
