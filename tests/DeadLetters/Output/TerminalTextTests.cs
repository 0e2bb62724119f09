using KafkaPipeline.Cli.Output;

namespace KafkaPipeline.DeadLetters.Tests.Output;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[31mred", @"\x1b[31mred")]
    [InlineData("\u001b]0;title\u0007", @"\x1b]0;title\x07")]
    [InlineData("a\u009b2Jb\u007f", @"a\x9b2Jb\x7f")]
    [InlineData("pay\u202Eevil", @"pay\u202eevil")]
    [InlineData("x\u2066y\u2069\u200Bz\uFEFF", @"x\u2066y\u2069\u200bz\ufeff")]
    [InlineData("one\ntwo\r\tthree", @"one\x0atwo\x0d\x09three")]
    [InlineData("line\u2028sep", @"line\u2028sep")]
    public void Line_ControlAndFormatCharacters_AreShownEscaped(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Line(text));
    }

    [Fact]
    public void Line_PrintableTextAndEmoji_Unchanged()
    {
        const string text = "Zürich → 東京 😀 [bold] C:\\path";

        Assert.Equal(text, TerminalText.Line(text));
    }

    [Fact]
    public void Line_LoneSurrogate_IsShownEscaped()
    {
        var text = "lone " + (char)0xD800 + " surrogate";

        Assert.Equal(@"lone \ud800 surrogate", TerminalText.Line(text));
    }

    [Fact]
    public void Block_KeepsLineBreaksExpandsTabsAndEscapesTheRest()
    {
        Assert.Equal("at A\n    at B\nC\nD \\x1b[2J", TerminalText.Block("at A\r\n\tat B\rC\nD \u001b[2J"));
    }

    [Fact]
    public void Markup_EscapesSpectreMarkupAfterControls()
    {
        Assert.Equal(@"[[red]]\x1b", TerminalText.Markup("[red]\u001b"));
    }
}
