"""torch layers the analyzer models by interpreting Python of its own (never torch's source)."""
