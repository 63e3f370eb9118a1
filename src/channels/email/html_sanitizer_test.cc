#include "channels/email/html_sanitizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ascii.h"
#include "core/utf8.h"

namespace redress::email {
namespace {

std::string Clean(std::string_view html) { return SanitizeHtml(html).html; }

// Whatever the input, none of these may appear in the output (case-insensitively).
void ExpectHarmless(std::string_view input) {
  std::string out = AsciiLower(Clean(input));
  for (std::string_view bad :
       {"<script", "javascript:", "vbscript:", "onerror", "onload", "onclick",    "onmouseover",
        "style=",  "<style",      "<iframe",   "<object", "<embed", "<svg",       "<math",
        "<form",   "<base",       "<meta",     "<link",   "data:",  "expression("}) {
    EXPECT_EQ(out.find(bad), std::string::npos) << input << " -> " << out;
  }
  EXPECT_TRUE(ValidUtf8(out));
}

TEST(SanitizeHtml, KeepsFormattingAndEscapesText) {
  EXPECT_EQ(Clean("<p>Hello <b>Asha</b> &amp; <i>team</i></p>"),
            "<p>Hello <b>Asha</b> &amp; <i>team</i></p>");
  EXPECT_EQ(Clean("<p>1 < 2 &lt;script&gt;</p>"), "<p>1 &lt; 2 &lt;script&gt;</p>");
  EXPECT_EQ(Clean("<table border=1><tr><td colspan=2>x</td></tr></table>"),
            "<table border=\"1\"><tr><td colspan=\"2\">x</td></tr></table>");
}

TEST(SanitizeHtml, DropsScriptsStylesAndFramesWithTheirContent) {
  SanitizedHtml result = SanitizeHtml(
      "<html><head><title>t</title><style>p{color:red}</style></head><body>"
      "<script>alert(1)</script>visible<iframe src=\"https://evil.example\">x</iframe>"
      "<noscript>ns</noscript></body></html>");
  EXPECT_EQ(result.html, "visible");
  EXPECT_EQ(result.removed_elements, 4);  // head (with title and style), script, iframe, noscript
}

TEST(SanitizeHtml, RemovesEventHandlersAndStyleAttributes) {
  SanitizedHtml result = SanitizeHtml(
      "<div onclick=\"steal()\" style=\"background:url(javascript:x)\" class=c>"
      "<img src=\"cid:logo@x\" onerror=\"alert(1)\" alt=\"logo\"></div>");
  EXPECT_EQ(result.html, "<div><img src=\"cid:logo@x\" alt=\"logo\"></div>");
  EXPECT_EQ(result.removed_attributes, 4);
}

TEST(SanitizeHtml, RejectsScriptUrlsHoweverTheyAreSpelled) {
  for (std::string_view href :
       {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
        "java&#x09;script:alert(1)", "&#106;avascript:alert(1)", "java\nscript:alert(1)",
        "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=", "/relative/path",
        "file:///etc/passwd"}) {
    std::string input = "<a href=\"" + std::string(href) + "\">link</a>";
    EXPECT_EQ(Clean(input), "<a rel=\"noopener noreferrer nofollow\" target=\"_blank\">link</a>")
        << href;
    ExpectHarmless(input);
  }
  EXPECT_EQ(Clean("<a href=\"https://example.com/?a=1&b=2\">ok</a>"),
            "<a href=\"https://example.com/?a=1&amp;b=2\" rel=\"noopener noreferrer nofollow\" "
            "target=\"_blank\">ok</a>");
  EXPECT_EQ(Clean("<a href=\"mailto:help@acme.example\">m</a>").find("href=\"mailto:"), 3u);
}

TEST(SanitizeHtml, BlocksRemoteImagesUnlessAllowed) {
  std::string input = "<img src=\"https://tracker.example/p.gif\" width=1><img src=\"cid:a@b\">";
  SanitizedHtml blocked = SanitizeHtml(input);
  EXPECT_EQ(blocked.html, "<img width=\"1\"><img src=\"cid:a@b\">");
  EXPECT_EQ(blocked.blocked_remote_images, 1);
  SanitizedHtml allowed = SanitizeHtml(input, SanitizeOptions{.allow_remote_images = true});
  EXPECT_EQ(allowed.html,
            "<img src=\"https://tracker.example/p.gif\" width=\"1\"><img src=\"cid:a@b\">");
  EXPECT_EQ(allowed.blocked_remote_images, 0);
}

TEST(SanitizeHtml, AttributeValuesCannotBreakOut) {
  EXPECT_EQ(Clean("<p title='x\" onclick=\"y'>t</p>"),
            "<p title=\"x&quot; onclick=&quot;y\">t</p>");
}

TEST(SanitizeHtml, HostileInputsNeverSurvive) {
  const std::vector<std::string> inputs = {
      "<scr<script>ipt>alert(1)</script>",
      "<svg><script>alert(1)</script><a xlink:href=\"javascript:x\">y</a></svg>",
      "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
      "<img src=x onerror=alert(1)//",
      "<!--<script>alert(1)</script>-->",
      "<![CDATA[<script>alert(1)</script>]]>",
      "<form action=\"https://evil\"><input name=p><button>go</button></form>",
      "<base href=\"https://evil/\"><a href=\"x\">x</a>",
      "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
      "<div style=\"width: expression(alert(1))\">x</div>",
      "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
      "<p>unclosed <b>bold <i>both</p> after",
      "<body onload=alert(1)>text",
      "<a href=\"  \x01javascript:alert(1)\">x</a>",
      "<img src=\"jav&#x0A;ascript:alert(1)\">",
      "\xFF\xFE<p>invalid utf-8 \xC3</p>",
      std::string(5000, '<') + "div>",
  };
  for (const std::string& input : inputs) ExpectHarmless(input);
}

TEST(SanitizeHtml, DeepNestingDoesNotRecurse) {
  std::string input;
  for (int i = 0; i < 20000; ++i) input += "<div>";
  input += "deep";
  std::string out = Clean(input);
  EXPECT_NE(out.find("deep"), std::string::npos);
}

}  // namespace
}  // namespace redress::email
