"""Front ends that turn another kind of input into an analysis: `hf_config` reads a Hugging Face config.json."""
