// Name pools for the fictional jurisdiction. Every place name here is made up for the demo; unit
// names follow the usual pattern of Chinese government bodies (市教育局, 县卫生健康局 …).

/** The demo city and its three counties: the names the README and the manual show. */
export const DEMO_CITY = "青川";
export const DEMO_COUNTIES = ["东河县", "西岭县", "南湖区"] as const;
export const SYNTHETIC_PROVINCE = "云岫";

/** Syllables for further made-up place names (cities and counties of a larger jurisdiction). */
export const PLACE_FIRST = ["澜", "岫", "沐", "栖", "霁", "汀", "岚", "苇", "棠", "璟", "漪", "芷", "砚", "檀", "蘅", "荇", "珂", "琅", "渟", "翎"];
export const PLACE_SECOND = ["川", "屿", "泽", "坪", "峪", "湾", "原", "皋", "汊", "渚", "垣", "陂", "塬", "岙", "浦", "冈"];

export const TOWNSHIPS = [
  "城关镇", "柳溪镇", "石门乡", "桃源镇", "白沙镇", "清水乡", "新华街道", "东城街道", "龙泉镇", "杏花乡",
  "松林镇", "河口镇", "梨园乡", "双溪镇", "凤鸣街道", "青石镇", "长岭乡", "云台镇", "望江街道", "金竹乡",
];

export interface DepartmentKind {
  /** Name after the place: 教育局 → 青川市教育局. County level may use a shorter form. */
  city: string;
  county: string;
  /** The word of its account names: 青川教育; `{}` marks the place: 平安{}. */
  account: string;
  /** Weight for a second platform (Weibo/Douyin): the bodies that talk to the public most. */
  outreach: number;
  /** Runs a WeChat 服务号 (service account) rather than a 订阅号 now and then. */
  service?: boolean;
  /** Topics of its posts. */
  topics: readonly string[];
}

export const DEPARTMENTS: readonly DepartmentKind[] = [
  { city: "教育局", county: "教育局", account: "{}教育", outreach: 3, topics: ["秋季学期开学安全", "义务教育招生", "学前教育普惠", "教师招聘", "校园食品安全", "防溺水安全教育"] },
  { city: "卫生健康委员会", county: "卫生健康局", account: "健康{}", outreach: 3, topics: ["流感防治", "家庭医生签约", "无偿献血", "健康科普", "基层医疗服务", "慢病管理"] },
  { city: "公安局", county: "公安局", account: "平安{}", outreach: 4, service: true, topics: ["反诈骗宣传", "户籍业务办理", "交通安全提示", "夏夜治安巡查", "防范电信网络诈骗", "身份证办理"] },
  { city: "人力资源和社会保障局", county: "人力资源和社会保障局", account: "{}人社", outreach: 1, service: true, topics: ["稳岗就业", "社保卡办理", "职业技能培训", "招聘会信息", "养老保险缴费", "农民工工资支付"] },
  { city: "文化广电和旅游局", county: "文化和旅游局", account: "{}文旅", outreach: 4, topics: ["乡村旅游线路", "非遗展演", "文化惠民演出", "景区开放公告", "图书馆阅读活动", "节假日出游提示"] },
  { city: "应急管理局", county: "应急管理局", account: "{}应急", outreach: 3, topics: ["防汛抗旱", "森林防火", "安全生产检查", "地质灾害防范", "应急演练", "冬季用火安全"] },
  { city: "市场监督管理局", county: "市场监督管理局", account: "{}市场监管", outreach: 2, topics: ["食品安全抽检", "价格监督检查", "消费维权", "特种设备安全", "个体工商户年报", "质量提升行动"] },
  { city: "生态环境局", county: "生态环境分局", account: "{}生态环境", outreach: 2, topics: ["空气质量通报", "河湖水质监测", "秸秆禁烧", "环境执法检查", "垃圾分类", "生态环境保护宣传"] },
  { city: "交通运输局", county: "交通运输局", account: "{}交通", outreach: 2, topics: ["道路施工绕行", "公交线路调整", "农村公路建设", "春运出行", "出租车服务", "桥梁检测"] },
  { city: "住房和城乡建设局", county: "住房和城乡建设局", account: "{}住建", outreach: 1, topics: ["老旧小区改造", "住房公积金", "建筑工地扬尘治理", "保障性住房", "燃气安全", "城市更新"] },
  { city: "农业农村局", county: "农业农村局", account: "{}农业农村", outreach: 1, topics: ["高标准农田建设", "秋粮收购", "农技服务", "动物防疫", "乡村振兴", "农产品质量安全"] },
  { city: "民政局", county: "民政局", account: "{}民政", outreach: 1, topics: ["养老服务", "婚姻登记", "低保救助", "社区治理", "殡葬改革", "未成年人保护"] },
  { city: "司法局", county: "司法局", account: "{}司法", outreach: 1, topics: ["法律援助", "普法宣传", "人民调解", "社区矫正", "公共法律服务", "民法典进社区"] },
  { city: "医疗保障局", county: "医疗保障局", account: "{}医保", outreach: 1, service: true, topics: ["医保缴费", "异地就医备案", "门诊共济", "药品集中采购", "医保基金监管", "医保电子凭证"] },
  { city: "自然资源和规划局", county: "自然资源局", account: "{}自然资源", outreach: 1, topics: ["国土空间规划", "不动产登记", "耕地保护", "地质灾害巡查", "测绘成果", "用地审批"] },
  { city: "水利局", county: "水利局", account: "{}水利", outreach: 1, topics: ["水库安全度汛", "河长制", "农村饮水安全", "节约用水", "水土保持", "灌区改造"] },
  { city: "退役军人事务局", county: "退役军人事务局", account: "{}退役军人", outreach: 1, topics: ["优抚政策", "退役军人就业", "烈士纪念", "双拥工作", "光荣牌悬挂", "退役军人服务站"] },
  { city: "政务服务和数据管理局", county: "政务服务中心", account: "{}政务服务", outreach: 1, service: true, topics: ["一网通办", "办事指南", "窗口延时服务", "营商环境", "政务服务便民", "电子证照"] },
  { city: "城市管理局", county: "城市管理局", account: "{}城管", outreach: 2, topics: ["市容整治", "占道经营治理", "生活垃圾分类", "路灯维修", "停车管理", "园林绿化"] },
  { city: "统计局", county: "统计局", account: "{}统计", outreach: 0, topics: ["统计数据发布", "经济运行分析", "人口抽样调查", "统计法宣传", "农业普查", "统计开放日"] },
  { city: "林业局", county: "林业局", account: "{}林业", outreach: 0, topics: ["森林防火", "植树造林", "野生动物保护", "古树名木保护", "林长制", "松材线虫病防治"] },
  { city: "商务局", county: "商务局", account: "{}商务", outreach: 1, topics: ["促消费活动", "外贸稳增长", "电商进农村", "招商引资", "市场保供", "老字号推介"] },
];

export const GOVERNMENT_TOPICS = ["常务会议", "重点项目建设", "优化营商环境", "民生实事", "政府信息公开", "安全生产", "乡村振兴", "防汛工作", "文明城市创建", "招商引资"];
export const TOWNSHIP_TOPICS = ["村级议事", "人居环境整治", "防溺水宣传", "党建引领基层治理", "农技下乡", "秸秆禁烧", "便民服务", "防汛值守"];

/** Post titles; {u} is the unit's short name, {t} a topic, {m} a month. */
export const TITLE_TEMPLATES = [
  "{u}召开{t}工作推进会",
  "{u}开展{t}专项行动",
  "关于{t}的温馨提示",
  "{t}取得新进展",
  "政策解读｜{t}",
  "{t}，这些事项请注意！",
  "【通知】{t}有关事项",
  "一图读懂{t}",
  "{m}月{t}工作情况通报",
  "{u}：扎实推进{t}",
  "聚焦{t}｜{u}在行动",
  "{t}问答来了",
];

export const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
export const GIVEN = ["敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "华", "慧", "建国", "晓燕", "志强", "丽", "鹏"];

/** Fictional service companies (运维单位) for accounts run by a third party. */
export const OPERATORS = ["云帆网络科技有限公司", "青禾文化传媒有限公司", "星桥信息技术有限公司", "拾光融媒科技有限公司", "远岫数字科技有限公司"];
