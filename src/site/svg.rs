//! Bar charts drawn as inline SVG at build time: no script, no network.
//! Text is sized in the chart's own units, large enough to read when the
//! chart is scaled down to a phone; every chart also has a data table.

use super::feed::xml_escape;
use std::fmt::Write as _;

pub struct Bar {
    pub label: String,
    /// The bar's height; `None` when there is nothing to measure (drawn as
    /// "n/a", not as zero).
    pub value: Option<f64>,
    /// The part of `value` to highlight (e.g. rolled-back pushes), stacked
    /// on top of the rest.
    pub alert: f64,
    /// Text shown on the bar and in the data table (e.g. "3" or "92%").
    pub text: String,
}

/// At most this many category labels under the axis: more would overlap.
const MAX_LABELS: usize = 8;

/// A vertical bar chart. `id` must be unique on the page (for aria labels).
pub fn bar_chart(id: &str, title: &str, bars: &[Bar], max: f64) -> String {
    let n = bars.len().max(1) as f64;
    let (w, h, top, bottom, left) = (720.0, 300.0, 32.0, 56.0, 8.0);
    let plot_h = h - top - bottom;
    let slot = (w - left * 2.0) / n;
    let bar_w = (slot * 0.7).max(2.0);
    let max = if max > 0.0 { max } else { 1.0 };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        xml_escape(title)
    );
    let _ = write!(
        s,
        r#"<line class="axis" x1="{left}" y1="{y}" x2="{x2}" y2="{y}"/>"#,
        y = top + plot_h,
        x2 = w - left
    );
    let label_every = bars.len().div_ceil(MAX_LABELS).max(1);
    // Values on the bars only while they fit side by side.
    let show_values = bars.len() <= 12;
    for (i, b) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let centre = x + bar_w / 2.0;
        let tip = match b.value {
            Some(v) => {
                let total = (v / max * plot_h).max(0.0);
                let high = (b.alert.min(v) / max * plot_h).max(0.0);
                let base = top + plot_h;
                let what = format!("{}: {}", xml_escape(&b.label), xml_escape(&b.text));
                if total - high > 0.0 {
                    let _ = write!(
                        s,
                        r#"<rect class="bar" x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{:.1}"><title>{what}</title></rect>"#,
                        base - (total - high),
                        total - high
                    );
                }
                if high > 0.0 {
                    let _ = write!(
                        s,
                        r#"<rect class="bar alert" x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{high:.1}"><title>{what}</title></rect>"#,
                        base - total
                    );
                }
                base - total
            }
            None => top + plot_h,
        };
        if show_values || b.value.is_none() && bars.len() <= 24 {
            let _ = write!(
                s,
                r#"<text class="value" x="{centre:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                (tip - 6.0).max(18.0),
                xml_escape(if b.value.is_some() { &b.text } else { "n/a" })
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                s,
                r#"<text class="label" x="{centre:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                h - bottom + 24.0,
                xml_escape(&b.label)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: Option<f64>, alert: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            alert,
            text: value.map_or("n/a".into(), |v| v.to_string()),
        }
    }

    #[test]
    fn a_rollback_is_stacked_on_the_pushes_and_a_month_without_pushes_is_na() {
        let svg = bar_chart(
            "t",
            "T",
            &[bar("a", Some(4.0), 1.0), bar("b", None, 0.0)],
            4.0,
        );
        // Four pushes, one rolled back: a three-quarter bar and a quarter on top.
        assert_eq!(svg.matches("class=\"bar\"").count(), 1, "{svg}");
        assert_eq!(svg.matches("class=\"bar alert\"").count(), 1, "{svg}");
        assert!(
            svg.contains(r#"height="159.0""#) && svg.contains(r#"height="53.0""#),
            "{svg}"
        );
        assert!(svg.contains(">n/a</text>"), "{svg}");
    }

    #[test]
    fn labels_never_crowd() {
        let bars: Vec<Bar> = (0..26)
            .map(|i| bar(&format!("l{i}"), Some(1.0), 0.0))
            .collect();
        let svg = bar_chart("t", "T", &bars, 1.0);
        assert!(
            svg.matches("class=\"label\"").count() <= MAX_LABELS,
            "{svg}"
        );
        assert_eq!(
            svg.matches("class=\"value\"").count(),
            0,
            "values only when they fit"
        );
    }
}
