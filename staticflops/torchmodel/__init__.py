"""torch semantics for the interpreter: modules, tensors, the torch namespaces, the trace."""
