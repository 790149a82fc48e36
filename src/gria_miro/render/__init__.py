"""Pure renderers: values in, text out (SVG preview, plan, roadmap)."""
