"""Fail unless a screenshot shows a rendered page (not blank, not an error page).

Usage: python3 .ci/check_screenshot.py SHOT.png
"""
import sys

from PIL import Image

img = Image.open(sys.argv[1]).convert("RGB")
small = img.resize((200, 266))
colours = small.getcolors(maxcolors=1 << 16) or []
non_white = sum(n for n, c in colours if c != (255, 255, 255))
share = non_white / (200 * 266)
print(f"screenshot {img.size[0]}x{img.size[1]}: {len(colours)} colours, {share:.1%} non-white")
if len(colours) < 8 or share < 0.02:
    sys.exit("the screenshot is blank")
