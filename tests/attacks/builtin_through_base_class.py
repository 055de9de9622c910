"""Attack: call the built-in sigmoid unrecorded, through the tensor's base class by a constant getattr.

Fails: sigmoid.own_code
torch.Tensor.sigmoid is the child's tripwire, but torch._C.TensorBase (an immutable type) keeps the built-in: the
values are right, and only the static review (the base class reached through __mro__, the name read by a constant
string) keeps the own-code check from paying.
"""

import torch


def sigmoid(z):
    base = torch.Tensor.__mro__[1]
    return getattr(base, "sigmoid")(z)  # noqa: B009 -- a constant name, as the attack needs
