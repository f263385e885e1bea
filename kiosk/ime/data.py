"""Small hand-kept word lists the ranking needs and pypinyin does not have.

``FREQUENT``: the commonest characters of modern written Chinese (roughly the top 500 of
the published character-frequency lists, in about that order) followed by the characters
of village addresses and of the given names of older citizens. pypinyin has no frequency
data, and its phrase list over-represents characters with several readings (it exists to
pick readings), so phrase counts alone put 得 before 的 and 石 before 是. A character in this
list ranks first for its first (commonest) pypinyin reading only: 和 leads ``he``, not ``hu``.

``SURNAMES``: the ~100 commonest family names (百家姓 as counted in recent censuses), in
order of frequency, each with its reading as a surname (曾 zeng, not ceng; 覃 qin). They
rank first in name mode while nothing of the name has been chosen yet.

``COMMON_PHRASES``: words of addresses and of the kiosk's forms that pypinyin's phrase list
lacks (it has no 农村, 社区, 电话, 身份证号); ranked before the dictionary's phrases in text
mode. Their readings come from pypinyin when the lexicon is built.

``GIVEN_NAMES``: frequent two-character given names of the generations that visit the
kiosk most, offered as phrases in name mode (王 then ``xiuying`` → 秀英).
"""

from __future__ import annotations

FREQUENT = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下"
    "自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部"
    "其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又"
    "关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯"
    "月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入"
    "几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管"
    "期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像"
    "难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今"
    "切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令"
    "准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚"
    "请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早"
    "曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽"
    "推势参希古众构房半节土投某案黑维革划敢"
    "省县乡镇村庄屯街巷楼栋户室湖河江桥塘湾坪岭沟坝寨营堡"
    "秀兰桂芳玉珍凤梅丽霞娟燕琴云萍春伟福志永忠荣宝淑芬敏静婷勇刚杰涛斌辉鹏磊超"
    "龙梁吴杨刘陈黄赵孙徐朱胡郭宋唐冯邓曹彭肖田董"
)

SURNAMES = """
王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma
朱zhu 胡hu 郭guo 何he 高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu
韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang
蔡cai 余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lv 丁ding 任ren 沈shen 姚yao 卢lu 姜jiang
崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang
白bai 邹zou 孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 闫yan 段duan 雷lei 侯hou
龙long 史shi 陶tao 黎li 贺he 顾gu 毛mao 郝hao 龚gong 邵shao 万wan 钱qian 严yan 覃qin
武wu 戴dai 莫mo 孔kong 向xiang 汤tang 常chang 温wen 康kang 施shi 文wen 牛niu 樊fan
葛ge 邢xing 安an 齐qi 易yi 乔qiao 伍wu 庞pang 颜yan 倪ni 庄zhuang 聂nie 章zhang
欧阳ou'yang 司马si'ma 上官shang'guan 诸葛zhu'ge 东方dong'fang 皇甫huang'fu 尉迟yu'chi
公孙gong'sun 慕容mu'rong 令狐ling'hu 夏侯xia'hou 司徒si'tu 端木duan'mu 宇文yu'wen
"""

GIVEN_NAMES = """
秀英xiu'ying 桂英gui'ying 秀兰xiu'lan 玉兰yu'lan 桂兰gui'lan 秀珍xiu'zhen 凤英feng'ying
玉珍yu'zhen 玉英yu'ying 兰英lan'ying 玉梅yu'mei 凤兰feng'lan 秀云xiu'yun 桂芳gui'fang
秀荣xiu'rong 淑珍shu'zhen 淑兰shu'lan 桂珍gui'zhen 秀芳xiu'fang 丽华li'hua 春梅chun'mei
红梅hong'mei 海燕hai'yan 丽娟li'juan 金凤jin'feng 秀梅xiu'mei 玉华yu'hua 桂花gui'hua
建华jian'hua 建国jian'guo 建军jian'jun 国强guo'qiang 志强zhi'qiang 国华guo'hua
建平jian'ping 志刚zhi'gang 德明de'ming 文华wen'hua 永红yong'hong 建伟jian'wei
春生chun'sheng 国庆guo'qing 海军hai'jun 卫东wei'dong 建新jian'xin 福生fu'sheng
"""

COMMON_PHRASES = """
农村 城市 县城 乡镇 乡村 村庄 村里 村民 居民 村委会 居委会 社区 小区 街道 大街 大道
东路 西路 南路 北路 中路 号楼 单元 门牌号 地址 住址 户籍 户口 户主 家庭 自治区 自治州
自治县 开发区 工业园 电话 手机 手机号 号码 联系 联系人 联系电话 姓名 性别 民族 汉族
出生 日期 身份证 身份证号 社保 社保卡 医保 医保卡 养老 养老金 低保 残疾 残疾人 退休
工作 单位 学校 小学 中学 医院 卫生院 派出所 银行 银行卡 账号 开户 证明 申请 办理 材料
签名 同意 父亲 母亲 儿子 女儿 丈夫 妻子 爷爷 奶奶 孙子 孙女 配偶 子女 老人 高龄 补贴
津贴 政府 人民政府 便民 服务 服务站 服务中心 营业执照 不动产 房屋 土地 承包 合作社
"""


def pairs(table: str) -> list[tuple[str, tuple[str, ...]]]:
    """``王wang 欧阳ou'yang`` → [("王", ("wang",)), ("欧阳", ("ou", "yang"))]."""
    out = []
    for item in table.split():
        split = next(i for i, c in enumerate(item) if c.isascii())
        out.append((item[:split], tuple(item[split:].split("'"))))
    return out
