from stance.data.ids import sentence_id
from stance.data.text import article_sentences, is_boilerplate, normalise, split_sentences


def test_abbreviations_do_not_split():
    text = "Gen. Vladimir Padrino met U.S. envoys in Caracas. He left at noon."
    assert split_sentences(text) == ["Gen. Vladimir Padrino met U.S. envoys in Caracas.", "He left at noon."]


def test_multi_sentence_quote_is_split_and_closing_quote_stays_attached():
    text = '"We will stay. We will fight," he said. "They must go."'
    assert split_sentences(text) == ['"We will stay.', 'We will fight," he said.', '"They must go."']


def test_curly_quotes_and_spaces_are_normalised():
    assert normalise("\u201cHe\u2019s   here\u201d\u00a0now") == "\"He's here\" now"


def test_boilerplate_lines_are_dropped_but_story_kept():
    for line in ["All news", "- Advertisement -", "Subscribe to our newsletter", "COMMENTS",
                 "Updated in: 28 February 2024 - 12:38", "News ID: 78786", "AFP/JOHN THYS",
                 "Follow Ben Kew on Facebook, Twitter at @ben_kew"]:
        assert is_boilerplate(line), line
    assert not is_boilerplate("Russia voiced support for Maduro.")


def test_article_title_dateline_and_ids():
    text = "All news\n\nKremlin backs Caracas\n\nMOSCOW, May 2. /TASS/. Russia voiced support for Maduro.\n"
    sents = article_sentences("a1", text)
    assert [s.text for s in sents] == ["Kremlin backs Caracas", "Russia voiced support for Maduro."]
    assert sents[1].sentence_id == sentence_id("a1", 1, "Russia voiced support for Maduro.")
    assert article_sentences("a1", text) == sents  # stable across runs


def test_title_repeated_at_start_of_body_is_removed():
    text = "Maduro Thanks Russia\n\nMaduro Thanks Russia\"Russia is a friend,\" Maduro said.\n"
    assert [s.text for s in article_sentences("x", text)] == ["Maduro Thanks Russia", '"Russia is a friend," Maduro said.']


def test_a_row_of_items_spaced_apart_is_a_menu_but_double_spaced_sentences_are_story():
    page = ("Caracas talks resume in Oslo after a month\n"
            "Politics   Culture   Books   Podcasts\n"
            "Delegates met in Oslo on Monday.  Both sides called the talks useful.  A date was set.\n"
            "Sanctions   Oil   Migration\n"
            "The next round is due in March, officials said.\n")
    texts = [s.text for s in article_sentences("p1", page)]
    assert not any("Culture" in t or t.startswith("Sanctions") for t in texts)
    assert "Both sides called the talks useful." in texts and "A date was set." in texts


def test_a_running_header_repeated_on_the_page_is_dropped_wherever_it_is():
    header = "Orinoco Energy Observatory · Working Paper No. 7"
    page = (f"{header}\nLicensed barrels and the limits of sanctions relief\n"
            "Production recovered modestly in 2023, the observatory said in its report.\n"
            f"{header}\nPage 2 of 14\nSanctions relief changed where the oil went more than how much was pumped.\n"
            f"{header}\nExports to China fell after the licence was granted, customs data showed.\n")
    texts = [s.text for s in article_sentences("p2", page)]
    assert not any("Working Paper" in t or t.startswith("Page 2") for t in texts)
    assert texts[0] == "Licensed barrels and the limits of sanctions relief" and len(texts) == 4


def story(page: str) -> list[str]:
    return [s.text for s in article_sentences("p", page)]


def test_a_comment_count_by_the_byline_does_not_cut_the_story():
    page = ("Venezuela blocks X and dozens of VPNs after the vote\n"
            "Carriers cut off services at the government's request, monitors say.\n"
            "14 Comments / 14 New\n"
            "Maduro announced the block on state television on Thursday evening.\n"
            "By midnight, probes showed the site unreachable on every carrier.\n")
    assert "By midnight, probes showed the site unreachable on every carrier." in story(page)


def test_read_also_with_its_own_headline_does_not_swallow_the_next_subheading():
    page = ("Venezuelan students face visa limbo as protections lapse\n"
            "Ortiz arrived from Valencia in 2022 and has held protected status since then.\n"
            "ALSO READ: Florida's colleges brace for a drop in enrolment\n"
            "How many students are affected\n"
            "No national tally exists, but colleges offered the following estimates:\n"
            "Miami: about 1,100\n"
            "Houston: 400 to 500\n"
            "Advisers say the options are limited for students in that position.\n")
    texts = story(page)
    assert "How many students are affected" in texts and "Miami: about 1,100" in texts
    assert not any("brace for a drop" in t for t in texts)


def test_a_numbered_section_before_the_first_paragraph_and_an_all_caps_subheading_are_story():
    page = ("Minutes of the regular meeting of the Westmere City Council\n"
            "1. Call to Order\n"
            "The mayor called the meeting to order at 6:02 p.m. with all members present.\n"
            "RATING SENSITIVITIES\n"
            "Factors that could lead to an upgrade include a debt restructuring.\n")
    texts = story(page)
    assert "1. Call to Order" in texts and "RATING SENSITIVITIES" in texts


def test_new_formats_furniture_is_dropped_but_headlines_like_it_are_kept():
    for line in ["Reverb & Static may earn a portion of sales from products purchased through our site.",
                 "This e-mail is confidential. If you are not the intended recipient, please delete it.",
                 "---------- Forwarded message ---------", "Renata Valdés  [00:01:12]", "11 min left in chapter",
                 "Carlos R. · Orlando, FL · 2 days ago: My wife is a TPS holder.", "Words of support (63)",
                 "Nurse Lorena Pacheco prepares antibiotics on a ward in Maracaibo, May 2024."]:
        assert is_boilerplate(normalise(line)), line
    for line in ["Explainer: Why Venezuela's opposition voted to scrap Guaidó's interim government",
                 "Venezuelan Exiles in Miami Watch in Anguish as the Battle Over Aid Unfolds on the Border",
                 "Roughly a dozen independent news outlets, some blocked since 2019"]:
        assert not is_boilerplate(normalise(line)), line


def test_a_comment_count_before_a_long_body_does_not_cut_it_but_the_comment_section_is_dropped():
    page = ("Venezuela's bonds: pricing a transition that may never come\n"
            "Defaulted sovereign bonds trade at 12-20 cents on the dollar, up from lows of 4-6 cents.\n"
            "The market is pricing a restructuring that needs political change in Caracas.\n"
            "I rate the sovereign curve a Hold, with a preference for the long end of it.\n"
            "12 Comments\n"
            "Venezuela's defaulted bonds are one of the purest political trades in emerging markets today.\n"
            "Their price has little to do with oil output and everything to do with who holds power.\n"
            "After the July 2024 election, prices rallied on the assumption that pressure would work.\n"
            "That assumption has not survived Maduro's third inauguration on January 10 of this year.\n"
            "Comments (12)\n"
            "bondvigilante77: Good piece, but you ignore the Chevron licence entirely, which matters a lot.\n")
    texts = story(page)
    assert "That assumption has not survived Maduro's third inauguration on January 10 of this year." in texts
    assert not any("bondvigilante77" in t for t in texts)


def test_distributed_by_inside_a_sentence_is_story_but_a_syndication_credit_is_not():
    page = ("Remittances and political exit in Venezuela\n"
            "Households with remittances were less likely to depend on the food boxes distributed by "
            "Nicolás Maduro's government.\n"
            "Distributed by the Latam Independent Journalism Network.\n"
            "The effect is concentrated in states where the party machine was weakest before 2017.\n")
    texts = story(page)
    assert any("food boxes distributed by" in t for t in texts)
    assert not any("Journalism Network" in t for t in texts)


def test_a_list_without_bullets_and_the_subheading_and_short_line_before_it_are_story():
    page = ("Remittances and political exit: evidence from Venezuelan migrants\n"
            "We study how money sent home shapes the political attitudes of the households that receive it.\n"
            "Main findings\n"
            "The paper reports four results:\n"
            "Remittance receipt reduced reliance on state food programs within six months\n"
            "Opposition sympathy rose most among households with a migrant member in Colombia\n"
            "The results suggest that lowering the cost of sending money would matter for politics.\n")
    texts = story(page)
    assert {"Main findings", "The paper reports four results:",
            "Remittance receipt reduced reliance on state food programs within six months"} <= set(texts)


def test_a_notice_inside_a_list_ends_it():
    page = ("Flights to Caracas suspended until further notice\n"
            "Istmo Air suspended all flights to Caracas after the government cut diplomatic ties on Monday.\n"
            "Passengers booked on affected flights may choose one of the following options:\n"
            "Request a full refund to the original form of payment\n"
            "Change your travel date without a change fee once operations resume\n"
            "Sponsored: travel insurance that covers cancelled flights from $9 a trip\n"
            "Other travel alerts\n"
            "Rainy season: flexibility policy for Caribbean destinations\n")
    texts = story(page)
    assert "Request a full refund to the original form of payment" in texts
    assert "Other travel alerts" not in texts and not any("Rainy season" in t for t in texts)
